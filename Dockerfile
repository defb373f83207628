# novaload in one image: the controller (`novaload run … --agents N`) and the
# agents (`novaload agent --controller ws://…`). Build from the repo root:
#   docker build -t novaload .
#   docker run --rm novaload --help
FROM node:20-bookworm-slim

# pnpm pinned to the workspace's packageManager; `novaload` on PATH.
RUN npm install --global pnpm@10.34.9 && npm cache clean --force \
 && ln -s /app/packages/controller/bin/novaload.js /usr/local/bin/novaload \
 && mkdir /app && chown node:node /app

WORKDIR /app
# The base image's unprivileged user (uid 1000) installs, builds and runs.
USER node

COPY --chown=node:node . .
# Exactly the locked dependencies; the root "prepare" script builds (tsc -b).
RUN pnpm install --frozen-lockfile

# Default controller port agents connect to (`--listen 0.0.0.0:7878`).
EXPOSE 7878
ENTRYPOINT ["novaload"]
CMD ["--help"]

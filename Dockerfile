# novaload in one slim image, for both roles: the controller (`novaload run …
# --agents N`) and the agents (`novaload agent --controller ws://…`).
# Build from the repo root, then try it:
#   docker build -t novaload:0.1.0 .
#   docker run --rm novaload:0.1.0 demo
#
# Stage 1 builds the workspace and packs the publishable package exactly as
# `npm pack` does for the registry; stage 2 holds only Node and that package
# installed with its production dependencies (no pnpm, TypeScript, test tools
# or sources). test/image.test.ts runs stage 1's pack and install commands
# and stage 2's ENTRYPOINT against the real package, as user 1000.

FROM node:20-bookworm-slim AS build
# pnpm pinned to the workspace's packageManager.
RUN npm install --global pnpm@10.34.9 && npm cache clean --force
WORKDIR /build
COPY . .
# Exactly the locked dependencies; the root "prepare" script builds (tsc -b).
RUN pnpm install --frozen-lockfile
# npm pack runs the package's prepack (packages/novaload/scripts/bundle.mjs): the bundle, scenarios/, README.md.
RUN mkdir /build/pack && cd packages/novaload && npm pack --pack-destination /build/pack
# Production dependencies only, as `npm install --global novaload` installs them.
RUN npm install --global --prefix /opt/novaload --omit=dev --no-audit --no-fund /build/pack/novaload-*.tgz

FROM node:20-bookworm-slim
COPY --from=build /opt/novaload /opt/novaload
ENV PATH=/opt/novaload/bin:$PATH
# The base image's unprivileged user (uid 1000) runs novaload; reports go to /work (mount a volume there).
RUN mkdir /work && chown node:node /work
USER node
WORKDIR /work
# Default controller port agents connect to (`--listen 0.0.0.0:7878`).
EXPOSE 7878
ENTRYPOINT ["novaload"]
CMD ["--help"]

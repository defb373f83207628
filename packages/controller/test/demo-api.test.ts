import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startDemoApi } from '../src/demo-api.js';

test('the demo API answers each route with JSON and counts the requests', async () => {
  const api = await startDemoApi();
  try {
    assert.match(api.url, /^http:\/\/127\.0\.0\.1:\d+$/);
    const routes: [string, string, number][] = [
      ['GET', '/api/tasks', 200],
      ['GET', '/api/schedules', 200],
      ['GET', '/api/users/profile', 200],
      ['POST', '/api/tasks', 201],
      ['POST', '/api/heavy-operation', 200],
      ['GET', '/api/nothing', 404],
      ['DELETE', '/api/tasks', 405],
    ];
    for (const [method, path, status] of routes) {
      const init: RequestInit = method === 'POST' && path === '/api/tasks' ? { method, body: '{"name":"test"}', headers: { 'content-type': 'application/json' } } : { method };
      const res = await fetch(`${api.url}${path}?q=1`, init);
      assert.equal(res.status, status, `${method} ${path}`);
      assert.equal(res.headers.get('content-type'), 'application/json');
      const body = (await res.json()) as Record<string, unknown>;
      if (status === 201) assert.equal(body.name, 'test');
    }
    assert.deepEqual(api.counts(), {
      'GET /api/tasks': 1,
      'GET /api/schedules': 1,
      'GET /api/users/profile': 1,
      'POST /api/tasks': 1,
      'POST /api/heavy-operation': 1,
      'GET /api/nothing': 1,
      'DELETE /api/tasks': 1,
    });
  } finally {
    await api.close();
  }
});

test('every errorEvery-th request fails with a 5xx, deterministically', async () => {
  const api = await startDemoApi({ errorEvery: 3 });
  try {
    const statuses: number[] = [];
    for (let i = 0; i < 6; i++) {
      const res = await fetch(`${api.url}/api/users/profile`);
      await res.arrayBuffer();
      statuses.push(res.status);
    }
    assert.deepEqual(statuses, [200, 200, 503, 200, 200, 503]);
  } finally {
    await api.close();
  }
});

test('a bad JSON body is a 400; close() ends idle keep-alive connections', async () => {
  const api = await startDemoApi();
  const res = await fetch(`${api.url}/api/tasks`, { method: 'POST', body: '{', headers: { 'content-type': 'application/json' } });
  assert.equal(res.status, 400);
  await res.arrayBuffer();
  const started = Date.now();
  await api.close();
  assert.ok(Date.now() - started < 1000, 'close() waits for no idle connection');
  await assert.rejects(fetch(`${api.url}/api/tasks`));
});

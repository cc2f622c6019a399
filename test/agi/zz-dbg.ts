import { createFastAgiServer } from '../../src/agi/index.js';
import { FakeFastAgiCall } from '../../src/testing/index.js';

const server = createFastAgiServer({
  port: 0,
  handler: async (ch) => {
    await ch.answer();
    await ch.noop();
  },
});
const { port } = await server.listen();
const t0 = performance.now();
const calls = await Promise.all(Array.from({ length: 1000 }, () => FakeFastAgiCall.connect({ port })));
console.log('connected', performance.now() - t0);
const res = await Promise.all(calls.map((c) => c.done));
console.log('done', performance.now() - t0);
await server.idle();
console.log('idle', performance.now() - t0);
await server.close({ deadline: 100 });
console.log('closed', performance.now() - t0);

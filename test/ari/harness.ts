/** A fake ARI server, its PBX simulator and a connected client, torn down together. */
import { AriClient } from '../../src/ari/index.js';
import { FakeAriPbx, type FakeAriPbxOptions, FakeAriServer } from '../../src/testing/index.js';

/** What {@link startFakeAri} sets up. */
export interface FakeAriSetup {
  server: FakeAriServer;
  pbx: FakeAriPbx;
  ari: AriClient;
  close(): Promise<void>;
}

/** Starts the fake server and PBX, then connects a client for `apps` after `register` has added its Stasis apps. */
export async function startFakeAri(
  options: { apps?: string[]; register?: (ari: AriClient) => void; pbx?: FakeAriPbxOptions } = {},
): Promise<FakeAriSetup> {
  const server = await new FakeAriServer().listen();
  const pbx = new FakeAriPbx(server, options.pbx ?? {});
  const ari = new AriClient(options.apps ? { url: server.url, apps: options.apps } : { url: server.url });
  options.register?.(ari);
  await ari.connect();
  return {
    server,
    pbx,
    ari,
    async close() {
      pbx.close();
      await ari.close();
      await server.close();
    },
  };
}

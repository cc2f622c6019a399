/** Test helpers for the AMI gateway: a raw AMI client over a real socket, and the fake upstream's handlers. */
import net from 'node:net';
import { type AmiMessage, AmiParser, serializePacket } from '../../src/ami/index.js';
import type { FakeAmiServer, FakeAmiServerOptions } from '../../src/testing/index.js';
import { waitUntil } from '../helpers/wait.js';

/** A bare AMI client: exact bytes in, parsed packets out. */
export class RawAmi {
  banner: string | undefined;
  readonly messages: AmiMessage[] = [];
  readonly closed: Promise<void>;
  private gone = false;
  private constructor(readonly socket: net.Socket) {
    const parser = new AmiParser({
      onBanner: (b) => {
        this.banner = b;
      },
      onMessage: (m) => this.messages.push(m),
    });
    socket.on('data', (c: Buffer) => parser.push(c));
    socket.on('error', () => {});
    this.closed = new Promise((resolve) =>
      socket.on('close', () => {
        this.gone = true;
        resolve();
      }),
    );
  }

  /** Connects to 127.0.0.1:port and waits for the banner. */
  static async connect(port: number): Promise<RawAmi> {
    const socket = net.connect(port, '127.0.0.1');
    await new Promise<void>((resolve, reject) => {
      socket.once('connect', resolve);
      socket.once('error', reject);
    });
    const c = new RawAmi(socket);
    await waitUntil(() => c.banner !== undefined, 'banner');
    return c;
  }

  /** Whether the socket is closed. */
  get isClosed(): boolean {
    return this.gone;
  }

  /** Sends one action from header pairs. */
  send(headers: ReadonlyArray<readonly [string, string]>): void {
    this.socket.write(serializePacket(headers));
  }

  /** Packets carrying this ActionID. */
  byId(id: string): AmiMessage[] {
    return this.messages.filter((m) => m.actionId === id);
  }

  /** Waits for the first packet with this ActionID and `Response:`. */
  async response(id: string): Promise<AmiMessage> {
    await waitUntil(() => this.byId(id).some((m) => m.kind === 'response'), `response ${id}`);
    return this.byId(id).find((m) => m.kind === 'response')!;
  }

  /** Events received with this name. */
  events(name: string): AmiMessage[] {
    return this.messages.filter((m) => m.event === name);
  }

  /** Plain login; resolves with the reply. */
  async login(user: string, secret: string, events?: string): Promise<AmiMessage> {
    const id = `login-${user}`;
    this.send([
      ['Action', 'Login'],
      ['ActionID', id],
      ['Username', user],
      ['Secret', secret],
      ...(events === undefined ? [] : [['Events', events] as const]),
    ]);
    return this.response(id);
  }

  /** Closes the socket. */
  close(): void {
    this.socket.destroy();
  }
}

/**
 * Handlers of the fake upstream, shaped like Asterisk's answers: Getvar echoes the variable, Status is an event
 * list naming the channel asked for, Originate is queued and its OriginateResponse broadcast to every session with
 * the ActionID (as Asterisk does), Command answers 14+ style `Output:` lines, CoreStatus answers fields.
 */
export function upstreamHandlers(fake: () => FakeAmiServer): NonNullable<FakeAmiServerOptions['handlers']> {
  return {
    Getvar: (a) => ({ Variable: a.get('Variable') ?? '', Value: `v-${a.get('Variable') ?? ''}` }),
    Status: (a) => {
      const ch = a.get('Channel') ?? 'none';
      return {
        list: {
          items: [
            { Event: 'Status', Privilege: 'Call', Channel: ch, Uniqueid: '1' },
            { Event: 'Status', Privilege: 'Call', Channel: ch, Uniqueid: '2' },
          ],
          complete: 'StatusComplete',
        },
      };
    },
    Originate: (a) => {
      const id = a.actionId;
      setTimeout(() => {
        fake().emit({
          Event: 'OriginateResponse',
          Privilege: 'call,all',
          ...(id === undefined ? {} : { ActionID: id }),
          Response: 'Success',
          Channel: a.get('Channel') ?? '',
          Context: a.get('Context') ?? '',
          Exten: a.get('Exten') ?? '',
          Reason: '4',
          Uniqueid: '1700000000.1',
          CallerIDNum: '<unknown>',
          CallerIDName: '<unknown>',
        });
      }, 5);
      return { Message: 'Originate successfully queued' };
    },
    Command: (a) => ({ Message: 'Command output follows', Output: [`ran: ${a.get('Command') ?? ''}`] }),
    CoreStatus: () => ({ CoreStartupDate: '2026-11-22', CoreCurrentCalls: '0' }),
  };
}

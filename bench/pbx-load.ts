/**
 * Synthetic call load for the PBX model's benchmark and memory test: two-leg SIP calls rendered as the events
 * current Asterisk sends (full channel snapshot headers), as header records or as AMI wire bytes.
 */

/** One event as ordered header pairs. */
export type LoadEvent = [string, string][];

const DESC = ['Down', 'Rsrvd', 'OffHook', 'Dialing', 'Ring', 'Ringing', 'Up'];

function snap(name: string, uid: string, linkedid: string, state: number, num: string): [string, string][] {
  return [
    ['Privilege', 'call,all'],
    ['Channel', name],
    ['ChannelState', String(state)],
    ['ChannelStateDesc', DESC[state]!],
    ['CallerIDNum', num],
    ['CallerIDName', '<unknown>'],
    ['ConnectedLineNum', '<unknown>'],
    ['ConnectedLineName', '<unknown>'],
    ['Language', 'es'],
    ['AccountCode', ''],
    ['Context', 'oficina2'],
    ['Exten', '200'],
    ['Priority', '1'],
    ['Uniqueid', uid],
    ['Linkedid', linkedid],
  ];
}

/** The events of call `i`: `setup` (10 events: channels, dial, answer, bridge) and `teardown` (7: hangups, Cdr). */
export function callEvents(i: number): { setup: LoadEvent[]; teardown: LoadEvent[] } {
  const a = `1795340000.${2 * i}`;
  const b = `1795340000.${2 * i + 1}`;
  const an = `PJSIP/reina-${(2 * i).toString(16).padStart(8, '0')}`;
  const bn = `PJSIP/alonso-${(2 * i + 1).toString(16).padStart(8, '0')}`;
  const br = `bridge-${i.toString(16).padStart(8, '0')}-7863-4bf0-aa33-1c40b68ba416`;
  const bridge: [string, string][] = [
    ['BridgeUniqueid', br],
    ['BridgeType', 'basic'],
    ['BridgeTechnology', 'simple_bridge'],
    ['BridgeCreator', '<unknown>'],
    ['BridgeName', '<unknown>'],
    ['BridgeNumChannels', '0'],
  ];
  const dest = (state: number) =>
    snap(bn, b, a, state, '200')
      .map(([k, v]) => [`Dest${k}`, v] as [string, string])
      .filter(([k]) => k !== 'DestPrivilege');
  return {
    setup: [
      [['Event', 'Newchannel'], ...snap(an, a, a, 4, 'reina')],
      [['Event', 'Newchannel'], ...snap(bn, b, a, 0, '200')],
      [['Event', 'DialBegin'], ...snap(an, a, a, 4, 'reina'), ...dest(0), ['DialString', 'alonso']],
      [['Event', 'Newstate'], ...snap(bn, b, a, 5, '200')],
      [['Event', 'Newstate'], ...snap(bn, b, a, 6, '200')],
      [['Event', 'DialEnd'], ...snap(an, a, a, 4, 'reina'), ...dest(6), ['DialStatus', 'ANSWER']],
      [['Event', 'Newstate'], ...snap(an, a, a, 6, 'reina')],
      [['Event', 'BridgeCreate'], ['Privilege', 'call,all'], ...bridge],
      [['Event', 'BridgeEnter'], ['Privilege', 'call,all'], ...bridge, ...snap(bn, b, a, 6, '200').slice(1)],
      [
        ['Event', 'BridgeEnter'],
        ['Privilege', 'call,all'],
        ...bridge,
        ...snap(an, a, a, 6, 'reina').slice(1),
      ],
    ],
    teardown: [
      [['Event', 'HangupRequest'], ...snap(an, a, a, 6, 'reina'), ['Cause', '16']],
      [
        ['Event', 'BridgeLeave'],
        ['Privilege', 'call,all'],
        ...bridge,
        ...snap(an, a, a, 6, 'reina').slice(1),
      ],
      [['Event', 'Hangup'], ...snap(an, a, a, 6, 'reina'), ['Cause', '16'], ['Cause-txt', 'Normal Clearing']],
      [['Event', 'BridgeLeave'], ['Privilege', 'call,all'], ...bridge, ...snap(bn, b, a, 6, '200').slice(1)],
      [['Event', 'BridgeDestroy'], ['Privilege', 'call,all'], ...bridge],
      [['Event', 'Hangup'], ...snap(bn, b, a, 6, '200'), ['Cause', '16'], ['Cause-txt', 'Normal Clearing']],
      [
        ['Event', 'Cdr'],
        ['Privilege', 'cdr,all'],
        ['AccountCode', ''],
        ['Source', 'reina'],
        ['Destination', '200'],
        ['Channel', an],
        ['DestinationChannel', bn],
        ['Disposition', 'ANSWERED'],
        ['Duration', '60'],
        ['BillableSeconds', '58'],
        ['UniqueID', a],
      ],
    ],
  };
}

/** A light `PbxMessage` over header pairs (first occurrence, case-insensitive). */
export function asMessage(e: LoadEvent): {
  event: string | undefined;
  get(name: string): string | undefined;
} {
  const map = new Map<string, string>();
  for (const [k, v] of e) {
    const l = k.toLowerCase();
    if (!map.has(l)) map.set(l, v);
  }
  return { event: map.get('event'), get: (n: string) => map.get(n.toLowerCase()) };
}

/** AMI wire text of events. */
export function wire(events: LoadEvent[]): string {
  let s = '';
  for (const e of events) {
    for (const [k, v] of e) s += `${k}: ${v}\r\n`;
    s += '\r\n';
  }
  return s;
}

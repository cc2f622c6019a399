import assert from 'node:assert/strict';
import { test } from 'node:test';
import { AGI_COMMANDS, type AgiChannel, createFastAgiServer } from '../../src/agi/index.js';
import { FakeFastAgiCall } from '../../src/testing/index.js';

/** Every typed method, the line it must send, and the reply that gives the expected value. */
const cases: [string, (ch: AgiChannel) => Promise<unknown>, string, string, unknown][] = [
  ['answer', (c) => c.answer(), 'ANSWER', '200 result=0', undefined],
  ['asyncAgiBreak', (c) => c.asyncAgiBreak(), 'ASYNCAGI BREAK', '200 result=0', undefined],
  ['channelStatus', (c) => c.channelStatus('PJSIP/a-1'), 'CHANNEL STATUS PJSIP/a-1', '200 result=6', 6],
  [
    'controlStreamFile',
    (c) => c.controlStreamFile('menu', '12', { skipMs: 5000, pauseDigit: '0' }),
    'CONTROL STREAM FILE menu 12 5000 # * 0',
    '200 result=0 endpos=800',
    { endpos: 800 },
  ],
  ['databaseDel', (c) => c.databaseDel('fam', 'k'), 'DATABASE DEL fam k', '200 result=0', false],
  ['databaseDelTree', (c) => c.databaseDelTree('fam'), 'DATABASE DELTREE fam', '200 result=0', true],
  ['databaseGet', (c) => c.databaseGet('fam', 'k'), 'DATABASE GET fam k', '200 result=1 (v w)', 'v w'],
  ['databasePut', (c) => c.databasePut('fam', 'k', 'a b'), 'DATABASE PUT fam k "a b"', '200 result=1', true],
  ['exec', (c) => c.exec('Dial', 'PJSIP/x,30,tT'), 'EXEC Dial PJSIP/x,30,tT', '200 result=-1', -1],
  [
    'getData',
    (c) => c.getData('enter', undefined, 4),
    'GET DATA enter 0 4',
    '200 result=12',
    { digits: '12', timeout: false },
  ],
  // biome-ignore lint/suspicious/noTemplateCurlyInString: an Asterisk expression, not a template
  ['getFullVariable', (c) => c.getFullVariable('${A}'), 'GET FULL VARIABLE ${A}', '200 result=1 (x)', 'x'],
  [
    'getOption',
    (c) => c.getOption('menu', '123', 2000),
    'GET OPTION menu 123 2000',
    '200 result=51 endpos=9',
    { digit: '3', endpos: 9 },
  ],
  ['getVariable', (c) => c.getVariable('EMPTY'), 'GET VARIABLE EMPTY', '200 result=1 ()', ''],
  [
    'gosub',
    (c) => c.gosub('sub', 's', 1, 'a b'),
    'GOSUB sub s 1 "a b"',
    '200 result=0 Gosub complete',
    undefined,
  ],
  ['hangup', (c) => c.hangup('PJSIP/b-2'), 'HANGUP PJSIP/b-2', '200 result=1', undefined],
  ['noop', (c) => c.noop(), 'NOOP', '200 result=0', undefined],
  ['receiveChar', (c) => c.receiveChar(1000), 'RECEIVE CHAR 1000', '200 result=65', 'A'],
  ['receiveText', (c) => c.receiveText(1000), 'RECEIVE TEXT 1000', '200 result=1 (hi there)', 'hi there'],
  [
    'recordFile',
    (c) => c.recordFile('/tmp/m', 'wav', '#', -1, { beep: true, silenceSeconds: 2 }),
    'RECORD FILE /tmp/m wav # -1 0 BEEP s=2',
    '200 result=35 (dtmf) endpos=8000',
    { digit: '#', timeout: false, endpos: 8000 },
  ],
  ['sayAlpha', (c) => c.sayAlpha('abc'), 'SAY ALPHA abc ""', '200 result=0', undefined],
  ['sayDigits', (c) => c.sayDigits(123, '#'), 'SAY DIGITS 123 #', '200 result=35', '#'],
  ['sayPhonetic', (c) => c.sayPhonetic('xyz'), 'SAY PHONETIC xyz ""', '200 result=0', undefined],
  ['sayNumber', (c) => c.sayNumber(42, '', 'f'), 'SAY NUMBER 42 "" f', '200 result=0', undefined],
  ['sayDate', (c) => c.sayDate(1700000000), 'SAY DATE 1700000000 ""', '200 result=0', undefined],
  ['sayTime', (c) => c.sayTime(1700000000), 'SAY TIME 1700000000 ""', '200 result=0', undefined],
  [
    'sayDateTime',
    (c) => c.sayDateTime(1700000000, '', undefined, 'Europe/Madrid'),
    'SAY DATETIME 1700000000 "" "" Europe/Madrid',
    '200 result=0',
    undefined,
  ],
  ['sendImage', (c) => c.sendImage('logo'), 'SEND IMAGE logo', '200 result=0', undefined],
  ['sendText', (c) => c.sendText('hello world'), 'SEND TEXT "hello world"', '200 result=0', undefined],
  ['setAutoHangup', (c) => c.setAutoHangup(1.5), 'SET AUTOHANGUP 1.5', '200 result=0', undefined],
  [
    'setCallerId',
    (c) => c.setCallerId('"Ana" <555>'),
    'SET CALLERID "\\"Ana\\" <555>"',
    '200 result=1',
    undefined,
  ],
  ['setContext', (c) => c.setContext('ivr'), 'SET CONTEXT ivr', '200 result=0', undefined],
  ['setExtension', (c) => c.setExtension('s'), 'SET EXTENSION s', '200 result=0', undefined],
  ['setPriority', (c) => c.setPriority('start'), 'SET PRIORITY start', '200 result=0', undefined],
  ['setMusic', (c) => c.setMusic(true, 'jazz'), 'SET MUSIC on jazz', '200 result=0', undefined],
  ['setVariable', (c) => c.setVariable('A', ''), 'SET VARIABLE A ""', '200 result=1', undefined],
  ['speechCreate', (c) => c.speechCreate('lumenvox'), 'SPEECH CREATE lumenvox', '200 result=1', true],
  ['speechSet', (c) => c.speechSet('k', 'v'), 'SPEECH SET k v', '200 result=1', true],
  ['speechDestroy', (c) => c.speechDestroy(), 'SPEECH DESTROY', '200 result=1', true],
  [
    'speechLoadGrammar',
    (c) => c.speechLoadGrammar('g', '/g.gram'),
    'SPEECH LOAD GRAMMAR g /g.gram',
    '200 result=1',
    true,
  ],
  [
    'speechUnloadGrammar',
    (c) => c.speechUnloadGrammar('g'),
    'SPEECH UNLOAD GRAMMAR g',
    '200 result=0',
    false,
  ],
  [
    'speechActivateGrammar',
    (c) => c.speechActivateGrammar('g'),
    'SPEECH ACTIVATE GRAMMAR g',
    '200 result=1',
    true,
  ],
  [
    'speechDeactivateGrammar',
    (c) => c.speechDeactivateGrammar('g'),
    'SPEECH DEACTIVATE GRAMMAR g',
    '200 result=1',
    true,
  ],
  [
    'speechRecognize',
    (c) => c.speechRecognize('prompt', 5),
    'SPEECH RECOGNIZE prompt 5',
    '200 result=1 (speech) endpos=100 results=1 score0=910 text0="two words" grammar0=g',
    { kind: 'speech', endpos: 100, results: [{ score: 910, text: 'two words', grammar: 'g' }] },
  ],
  [
    'streamFile',
    (c) => c.streamFile('welcome'),
    'STREAM FILE welcome ""',
    '200 result=0 endpos=16000',
    { endpos: 16000 },
  ],
  ['tddMode', (c) => c.tddMode('on'), 'TDD MODE on', '200 result=1', true],
  [
    'verbose',
    (c) => c.verbose('a "quoted" \\ msg', 3),
    'VERBOSE "a \\"quoted\\" \\\\ msg" 3',
    '200 result=1',
    undefined,
  ],
  ['waitForDigit', (c) => c.waitForDigit(-1), 'WAIT FOR DIGIT -1', '200 result=0', undefined],
];

test('every AGI command has a typed method that sends the right line and parses its reply', async () => {
  const names = new Set(
    cases.map(([, , line]) => AGI_COMMANDS.find((n) => line === n || line.startsWith(`${n} `))),
  );
  assert.deepEqual(
    AGI_COMMANDS.filter((n) => !names.has(n)),
    [],
    'commands without a typed method',
  );
  const results: unknown[] = [];
  const server = createFastAgiServer({
    port: 0,
    handler: async (ch) => {
      for (const [, call] of cases) results.push(await call(ch));
    },
  });
  const { port } = await server.listen();
  let i = 0;
  const call = await FakeFastAgiCall.connect({ port, answer: () => cases[i++]?.[3] });
  const r = await call.done;
  await server.close();
  assert.deepEqual(
    r.commands.map((c) => c.line),
    cases.map(([, , line]) => line),
  );
  cases.forEach(([name, , , , expected], k) => {
    assert.deepEqual(results[k], expected, name);
  });
});

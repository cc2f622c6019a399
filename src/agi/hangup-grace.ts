/**
 * Which `result=-1` replies may be a hangup in disguise. When the caller hangs up while a command waits on the
 * channel (a prompt playing, digits awaited, a Dial), Asterisk first answers that command `200 result=-1` and
 * only then, once its AGI loop reads the dead channel, writes `HANGUP`. Pure.
 */
import { parseAgiArgs, splitAgiCommand } from './command.js';

/**
 * Default grace window, ms, between such a `-1` and the `HANGUP` that turns it into a hangup. The recorded
 * transcripts of Asterisk master, 13 and 11 all show the `HANGUP` line 42–44 ms after the `-1` (the AGI loop
 * notices the dead channel one read later); 100 ms covers that with room for a loaded PBX, and delays a genuine
 * `-1` failure (a prompt file that does not exist) by at most a tenth of a second, which no caller notices.
 */
export const AGI_HANGUP_GRACE_MS = 100;

/** Commands that block on the channel (play, listen, record): a `-1` from them is how a hangup first shows. */
const WAITING_COMMANDS = new Set([
  'ANSWER',
  'STREAM FILE',
  'CONTROL STREAM FILE',
  'GET OPTION',
  'GET DATA',
  'WAIT FOR DIGIT',
  'RECORD FILE',
  'RECEIVE CHAR',
  'RECEIVE TEXT',
  'SAY ALPHA',
  'SAY DIGITS',
  'SAY PHONETIC',
  'SAY NUMBER',
  'SAY DATE',
  'SAY TIME',
  'SAY DATETIME',
  'SPEECH RECOGNIZE',
]);

/**
 * Dialplan applications that wait on the channel when run with `EXEC` (lower case). `Hangup` is not here: its
 * `-1` is the hangup we asked for. Applications not listed keep their `-1` as a plain return code.
 */
const BLOCKING_APPS = new Set(
  [
    'Dial',
    'Queue',
    'Playback',
    'Background',
    'BackgroundDetect',
    'ControlPlayback',
    'Read',
    'ReadExten',
    'Record',
    'ConfBridge',
    'MeetMe',
    'Wait',
    'WaitExten',
    'WaitDigit',
    'WaitForRing',
    'WaitForSilence',
    'WaitForNoise',
    'WaitUntil',
    'Echo',
    'Milliwatt',
    'MusicOnHold',
    'Page',
    'FollowMe',
    'VoiceMail',
    'VoiceMailMain',
    'Directory',
    'Authenticate',
    'VMAuthenticate',
    'DISA',
    'ChanSpy',
    'ExtenSpy',
    'Bridge',
    'Park',
    'ParkedCall',
    'ParkAndAnnounce',
    'SayAlpha',
    'SayDigits',
    'SayNumber',
    'SayPhonetic',
    'SayUnixTime',
    'SendDTMF',
    'SpeechBackground',
    'Stasis',
    'AGI',
    'EAGI',
    'Gosub',
    'Macro',
  ].map((a) => a.toLowerCase()),
);

/**
 * True when `line` waits on the channel, so that its `result=-1` followed by `HANGUP` (or the connection
 * closing) means the caller hung up. Only called for `-1` replies: never on the hot path.
 */
export function waitsOnChannel(line: string): boolean {
  const argv = parseAgiArgs(line);
  const { name, args } = splitAgiCommand(argv);
  if (name === undefined) return false;
  if (name === 'EXEC') return BLOCKING_APPS.has((args[0] ?? '').toLowerCase());
  return WAITING_COMMANDS.has(name);
}

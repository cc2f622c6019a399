/** Public face of call control: click-to-dial (right caller ID on both legs) and actions on live calls. */
export { CallControl, channelExtensions } from './call-control.js';
export type { ClickToDialCall, ClickToDialRequest, ClickToDialState } from './click-to-dial.js';
export { ControlError, type ControlErrorCode } from './errors.js';
export type { ClickToDialSettings, ControlAmi, ControlPbx } from './types.js';

/** `switchboard/router`: the call-routing application — dial patterns, rules, authorization, call flow, serving. */

export type { Store, StoreOptions } from '../store/index.js';
export { DEFAULT_DB_PATH, openStore } from '../store/index.js';
export type { AppName, AppOutcome, CompiledApp, DialTarget } from './apps.js';
export { APP_DATA_SCHEMAS, APP_NAMES, compileApp, dialArgs, runApp } from './apps.js';
export type { RouterChannel, RouterRequest } from './channel.js';
export { isHangupError } from './channel.js';
export type { Finding } from './check.js';
export { checkRules, patternCovers } from './check.js';
export type { RouterConfig, RouterConfigInput } from './config.js';
export { loadRouterConfig, parseRouterConfig, ROUTER_ENV, routerConfigSchema } from './config.js';
export { DEMO_ROUTES, loadDemo } from './demo.js';
export { PatternError, RouterError, RuleError } from './errors.js';
export type { Explanation } from './explain.js';
export { explain, formatExplanation } from './explain.js';
export type { CallResult, CallRouterOptions, RouterLogger } from './flow.js';
export { CallRouter, ROUTER_STATUS } from './flow.js';
export type { DialPattern, PatternElement } from './pattern.js';
export { comparePatterns, compilePattern, isValidPattern, PATTERN_ALPHABET } from './pattern.js';
export type { PatternEntry } from './pattern-index.js';
export { PatternIndex } from './pattern-index.js';
export type { PinHashParams } from './pin.js';
export { DEFAULT_PIN_PARAMS, hashPin, isValidPin, verifyPin } from './pin.js';
export type { CompiledRoute, PinHolder, Resolution, RuleProblem, RuleSource, Verdict } from './rules.js';
export { loadRuleSet, RuleSet, rewrite } from './rules.js';
export type { RouteDraft, RulesFile } from './rules-file.js';
export {
  exportRules,
  formatRulesFile,
  importRules,
  parseRulesFile,
  routeProblems,
  rulesFileSchema,
} from './rules-file.js';
export type { RouterServerOptions } from './serve.js';
export { RouterServer } from './serve.js';
export type { Template, TemplateValues } from './template.js';
export { compileTemplate } from './template.js';
export type { TimeWindow, TimeWindowSpec } from './time-window.js';
export {
  anyWindowOpen,
  compileTimeWindow,
  parseTimeWindowSpec,
  windowOpen,
  windowsOverlap,
} from './time-window.js';

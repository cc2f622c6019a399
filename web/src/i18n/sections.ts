/**
 * The strings of the pages that keep their own dictionary (`web/src/pages/<page>/messages.ts`, exporting `en` and
 * `es: Record<keyof typeof en, string>`), merged into the languages. Add a page with one import and one entry in
 * each list.
 */
import * as consolePage from '../pages/console/messages';
import * as feedsPage from '../pages/feeds/messages';
import * as historyPage from '../pages/history/messages';
import * as phonesPage from '../pages/phones/messages';
import * as queuesPage from '../pages/queues/messages';
import * as routesPage from '../pages/routes/messages';
import * as softwarePage from '../pages/software/messages';
import * as statsPage from '../pages/stats/messages';
import * as trunksPage from '../pages/trunks/messages';
import * as usersPage from '../pages/users/messages';

const pagesEn = [
  consolePage.en,
  historyPage.en,
  statsPage.en,
  feedsPage.en,
  trunksPage.en,
  softwarePage.en,
  queuesPage.en,
  phonesPage.en,
  routesPage.en,
  usersPage.en,
] as const;
const pagesEs = [
  consolePage.es,
  historyPage.es,
  statsPage.es,
  feedsPage.es,
  trunksPage.es,
  softwarePage.es,
  queuesPage.es,
  phonesPage.es,
  routesPage.es,
  usersPage.es,
] as const;

type Merge<T extends readonly object[]> = T extends readonly [infer H, ...infer R extends readonly object[]]
  ? H & Merge<R>
  : Record<never, string>;

/** Every page dictionary, English. */
export const sectionsEn = Object.assign({}, ...pagesEn) as Merge<typeof pagesEn>;
/** Every page dictionary, Spanish (each page's type already requires every key). */
export const sectionsEs = Object.assign({}, ...pagesEs) as Record<keyof typeof sectionsEn, string>;

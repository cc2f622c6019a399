/**
 * The strings of the pages that keep their own dictionary (`web/src/pages/<page>/messages.ts`, exporting `en` and
 * `es: Record<keyof typeof en, string>`), merged into the languages. Add a page with one import and one entry in
 * each list.
 */
import * as consolePage from '../pages/console/messages';
import * as feedsPage from '../pages/feeds/messages';
import * as softwarePage from '../pages/software/messages';
import * as trunksPage from '../pages/trunks/messages';

const pagesEn = [consolePage.en, feedsPage.en, trunksPage.en, softwarePage.en] as const;
const pagesEs = [consolePage.es, feedsPage.es, trunksPage.es, softwarePage.es] as const;

type Merge<T extends readonly object[]> = T extends readonly [infer H, ...infer R extends readonly object[]]
  ? H & Merge<R>
  : Record<never, string>;

/** Every page dictionary, English. */
export const sectionsEn = Object.assign({}, ...pagesEn) as Merge<typeof pagesEn>;
/** Every page dictionary, Spanish (each page's type already requires every key). */
export const sectionsEs = Object.assign({}, ...pagesEs) as Record<keyof typeof sectionsEn, string>;

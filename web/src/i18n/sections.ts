/**
 * The strings of the pages that keep their own dictionary (`web/src/pages/<page>/messages.ts`, exporting `en` and
 * `es: Record<keyof typeof en, string>`), merged into the languages. Add a page with one import and one entry in
 * each list.
 */

const pagesEn = [] as const;
const pagesEs = [] as const;

type Merge<T extends readonly object[]> = T extends readonly [infer H, ...infer R extends readonly object[]]
  ? H & Merge<R>
  : Record<never, string>;

/** Every page dictionary, English. */
export const sectionsEn = Object.assign({}, ...pagesEn) as Merge<typeof pagesEn>;
/** Every page dictionary, Spanish (each page's type already requires every key). */
export const sectionsEs = Object.assign({}, ...pagesEs) as Record<keyof typeof sectionsEn, string>;

/**
 * A set of compiled dial patterns searchable in Asterisk precedence order without scanning them all: exact numbers in
 * a hash map, patterns in a trie over positions whose edges are sorted the way `ext_cmp()` orders positions. A
 * depth-first walk that takes edges in that order meets matching patterns already sorted, so the first one accepted
 * is the winner. Pure: no I/O.
 */
import {
  alphabetIndex,
  compareElements,
  type DialPattern,
  type PatternElement,
  stripDashes,
} from './pattern.js';

/** One entry of the index: a pattern and the value stored with it. */
export interface PatternEntry<T> {
  /** The compiled pattern. */
  readonly pattern: DialPattern;
  /** What was stored with it (e.g. a route). */
  readonly value: T;
}

interface SetEdge<T> {
  readonly element: Extract<PatternElement, { kind: 'set' }>;
  readonly node: TrieNode<T>;
}

interface TrieNode<T> {
  /** Single-character edges (a literal always sorts before any larger set, so these are tried first). */
  literal: Map<number, TrieNode<T>> | undefined;
  /** Multi-character set edges, most specific first. */
  sets: SetEdge<T>[];
  /** Patterns ending here with `.`, `!`, or nothing — visited in that order, after every edge. */
  dot: PatternEntry<T>[];
  bang: PatternEntry<T>[];
  end: PatternEntry<T>[];
}

function newNode<T>(): TrieNode<T> {
  return { literal: undefined, sets: [], dot: [], bang: [], end: [] };
}

/** Visitor called for each matching entry in precedence order; return `true` to stop. */
export type PatternVisitor<T> = (entry: PatternEntry<T>) => boolean;

/** An index of patterns answering "which patterns match this number, most specific first". */
export class PatternIndex<T> {
  readonly #exact = new Map<string, PatternEntry<T>[]>();
  readonly #root: TrieNode<T> = newNode();
  readonly #tieBreak: ((a: T, b: T) => number) | undefined;
  #size = 0;

  /** `tieBreak` orders values stored under equivalent patterns (default: insertion order). */
  constructor(tieBreak?: (a: T, b: T) => number) {
    this.#tieBreak = tieBreak;
  }

  /** Number of entries. */
  get size(): number {
    return this.#size;
  }

  /** Adds a pattern with its value. */
  add(pattern: DialPattern, value: T): void {
    const entry: PatternEntry<T> = { pattern, value };
    this.#size++;
    if (pattern.exact) {
      let list = this.#exact.get(pattern.canonical);
      if (!list) {
        list = [];
        this.#exact.set(pattern.canonical, list);
      }
      this.#insert(list, entry);
      return;
    }
    let node = this.#root;
    for (const element of pattern.elements) {
      if (element.kind === 'dot' || element.kind === 'bang') {
        this.#insert(element.kind === 'dot' ? node.dot : node.bang, entry);
        return;
      }
      if (element.chars.length === 1) {
        node.literal ??= new Map();
        const code = element.chars.charCodeAt(0);
        let next = node.literal.get(code);
        if (!next) {
          next = newNode();
          node.literal.set(code, next);
        }
        node = next;
        continue;
      }
      let edge = node.sets.find((e) => e.element.mask === element.mask);
      if (!edge) {
        edge = { element, node: newNode() };
        node.sets.push(edge);
        node.sets.sort((a, b) => compareElements(a.element, b.element));
      }
      node = edge.node;
    }
    this.#insert(node.end, entry);
  }

  #insert(list: PatternEntry<T>[], entry: PatternEntry<T>): void {
    const tie = this.#tieBreak;
    let i = list.length;
    if (tie) while (i > 0 && tie((list[i - 1] as PatternEntry<T>).value, entry.value) > 0) i--;
    list.splice(i, 0, entry);
  }

  /** Calls `visit` for every entry matching `number`, most specific first, until it returns `true`. */
  visit(number: string, visit: PatternVisitor<T>): boolean {
    const n = stripDashes(number);
    const exact = this.#exact.get(n);
    if (exact) for (const e of exact) if (visit(e)) return true;
    return walk(this.#root, n, 0, visit);
  }

  /** The first matching entry whose value `accept` approves (default: the first match). */
  find(number: string, accept?: (value: T) => boolean): PatternEntry<T> | undefined {
    let found: PatternEntry<T> | undefined;
    this.visit(number, (e) => {
      if (accept && !accept(e.value)) return false;
      found = e;
      return true;
    });
    return found;
  }

  /** Every matching entry, most specific first. */
  matches(number: string): PatternEntry<T>[] {
    const out: PatternEntry<T>[] = [];
    this.visit(number, (e) => {
      out.push(e);
      return false;
    });
    return out;
  }
}

function walk<T>(node: TrieNode<T>, n: string, i: number, visit: PatternVisitor<T>): boolean {
  const rest = n.length - i;
  if (rest > 0) {
    const code = n.charCodeAt(i);
    const lit = node.literal?.get(code);
    if (lit && walk(lit, n, i + 1, visit)) return true;
    if (node.sets.length > 0) {
      const idx = alphabetIndex(n[i] as string);
      if (idx >= 0) {
        const bit = 1 << idx;
        for (const edge of node.sets) {
          if ((edge.element.mask & bit) !== 0 && walk(edge.node, n, i + 1, visit)) return true;
        }
      }
    }
    for (const e of node.dot) if (visit(e)) return true;
  }
  for (const e of node.bang) if (visit(e)) return true;
  if (rest === 0) for (const e of node.end) if (visit(e)) return true;
  return false;
}

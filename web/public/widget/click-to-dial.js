/*
 * Switchboard click-to-dial widget for any web page (a CRM, an intranet):
 *
 *   <script src="https://switchboard.example/widget/click-to-dial.js"
 *           data-token="sbt_…" data-from="201" defer></script>
 *
 * Every `tel:` link and every phone number in the page's text becomes a click-to-dial link: a click rings your
 * phone (`data-from`), then calls the number. The token should have the `click-to-dial` scope
 * (`switchboard tokens create crm --user ana --scope click-to-dial`): it can do nothing else. The page's origin
 * must be listed in the server's `http.origins`. Nothing from the page is ever inserted as markup.
 */
(() => {
  const script = document.currentScript;
  if (!script) return;
  const base = new URL(script.src).origin;
  const token = script.dataset.token ?? '';
  const from = script.dataset.from ?? '';
  const numberPattern = /(?:\+|00)?\d[\d\s().-]{5,}\d/g;
  const skip = new Set([
    'SCRIPT',
    'STYLE',
    'TEXTAREA',
    'INPUT',
    'SELECT',
    'OPTION',
    'A',
    'BUTTON',
    'CODE',
    'PRE',
  ]);

  const digits = (text) => {
    const t = text.trim();
    return (t.startsWith('+') ? '+' : '') + t.replace(/[^\d*#]/g, '');
  };

  let toast;
  const say = (text) => {
    if (!toast) {
      toast = document.createElement('div');
      toast.setAttribute('role', 'status');
      toast.setAttribute('aria-live', 'polite');
      toast.style.cssText =
        'position:fixed;right:1rem;bottom:1rem;z-index:2147483647;background:#1b2733;color:#fff;' +
        'padding:.6rem .9rem;border-radius:.4rem;font:14px/1.4 system-ui,sans-serif;max-width:22rem';
      document.body.append(toast);
    }
    toast.textContent = text;
  };

  const dial = async (number) => {
    say(`Calling ${number}: your phone (${from}) rings first…`);
    try {
      const res = await fetch(`${base}/api/v1/calls`, {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        body: JSON.stringify({ from, to: digits(number) }),
      });
      const body = await res.json().catch(() => ({}));
      if (!res.ok) say(`Could not call ${number}: ${body?.error?.message ?? res.status}`);
      else say(`Ringing your phone (${from}) to call ${number}.`);
    } catch {
      say(`Could not reach Switchboard to call ${number}.`);
    }
  };

  const link = (number) => {
    const a = document.createElement('a');
    a.href = '#';
    a.textContent = number;
    a.dataset.switchboardDial = digits(number);
    a.title = `Call ${number} (Switchboard)`;
    a.setAttribute('role', 'button');
    return a;
  };

  const linkify = (root) => {
    for (const a of root.querySelectorAll?.('a[href^="tel:"]:not([data-switchboard-dial])') ?? []) {
      a.dataset.switchboardDial = digits(decodeURIComponent(a.getAttribute('href').slice(4)));
    }
    const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT, {
      acceptNode: (n) => {
        for (let p = n.parentElement; p; p = p.parentElement)
          if (skip.has(p.tagName)) return NodeFilter.FILTER_REJECT;
        numberPattern.lastIndex = 0;
        return numberPattern.test(n.nodeValue ?? '') ? NodeFilter.FILTER_ACCEPT : NodeFilter.FILTER_REJECT;
      },
    });
    const nodes = [];
    while (walker.nextNode()) nodes.push(walker.currentNode);
    for (const node of nodes) {
      const text = node.nodeValue ?? '';
      const parts = document.createDocumentFragment();
      let last = 0;
      numberPattern.lastIndex = 0;
      for (const m of text.matchAll(numberPattern)) {
        parts.append(text.slice(last, m.index), link(m[0]));
        last = m.index + m[0].length;
      }
      parts.append(text.slice(last));
      node.replaceWith(parts);
    }
  };

  document.addEventListener('click', (e) => {
    const a = e.target instanceof Element ? e.target.closest('[data-switchboard-dial]') : null;
    if (!a) return;
    e.preventDefault();
    void dial(a.textContent?.trim() || a.dataset.switchboardDial);
  });
  const start = () => {
    linkify(document.body);
    // Pages that add content later (a CRM's lists): new elements are scanned in batches.
    const added = new Set();
    let pending = false;
    new MutationObserver((records) => {
      for (const r of records)
        for (const n of r.addedNodes) if (n.nodeType === 1 && !n.dataset?.switchboardDial) added.add(n);
      if (pending || added.size === 0) return;
      pending = true;
      setTimeout(() => {
        pending = false;
        const nodes = [...added];
        added.clear();
        for (const n of nodes) if (n.isConnected) linkify(n);
      }, 200);
    }).observe(document.body, { childList: true, subtree: true });
  };
  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', start);
  else start();
})();

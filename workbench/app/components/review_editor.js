// The review editor (Streamlit components v2, no build step): links as rows with their full text, the current
// link open in place, every frequent action on a key. Written by hand because no Streamlit widget or component
// offers an editable, keyboard-driven, virtualised two-column text grid; it stays small and dependency-free.
//
// Python owns the project: it sends the rows (``data``) and applies the actions this sends back as trigger
// values. This file owns only the view: the current link, the filters, the scroll position. It keeps them in
// the page's URL (``?link=&show=&low=&doubt=&q=``), so a reload or a shared link opens the same place, and it
// survives Streamlit's reruns because the same DOM node is handed back each time (state lives in a WeakMap).

const instances = new WeakMap();
const OVERSCAN = 700; // px drawn above and below the visible part of the list
const URL_KEYS = ["link", "show", "low", "doubt", "q", "sort"];

// Search ignores case and accents: "eleicoes" finds "eleições" (the same rule as workbench.review).
function fold(text) {
  return (text || "").normalize("NFKD").replace(/\p{M}/gu, "").toLowerCase();
}

function el(tag, cls, text) {
  const node = document.createElement(tag);
  if (cls) node.className = cls;
  if (text !== undefined && text !== null) node.textContent = text;
  return node;
}

const HELP = [
  ["↓ / j, ↑ / k", "next / previous link (only the links the filters show)"],
  ["PgDn / PgUp, Home / End", "ten links down / up, first / last link"],
  ["→ / l, ← / h", "next / previous sentence of the current link"],
  ["Enter or double-click", "edit the sentence; Ctrl+Enter saves, Esc cancels; a line break splits it there"],
  ["a", "approve the link and go to the next"],
  ["A", "approve the link and stay"],
  ["u", "take back the approval or flag (to review again)"],
  ["f", "flag the link with a note (Enter saves the flag, Esc cancels)"],
  ["m / M", "merge with the next / previous link"],
  ["s", "split the link after the selected sentence"],
  ["] / [", "move the selected edge sentence into the next / previous link"],
  ["x", "unlink: leave the link's sentences unaligned"],
  ["J", "join the selected sentence with the next one"],
  ["z / Ctrl+Z", "undo"],
  ["Z / Ctrl+Y", "redo"],
  ["w", "the weakest link still to review (alignment confidence and translation quality); again: the next weakest"],
  ["g", "go to a link by its number"],
  ["/", "search (ignores case and accents); Esc goes back to the links"],
  ["r", "reload the project (after another tab saved)"],
  ["?", "this help; Esc closes it"],
];

export default function reviewEditor(component) {
  const { data, parentElement, setTriggerValue } = component;
  let s = instances.get(parentElement);
  if (!s) {
    s = create(parentElement, setTriggerValue);
    instances.set(parentElement, s);
  }
  s.setTrigger = setTriggerValue;
  update(s, data);
}

// --------------------------------------------------------------------------------------------- set-up

function create(parent, setTrigger) {
  const root = el("div", "wbr");
  root.tabIndex = 0;
  root.setAttribute("role", "grid");
  root.setAttribute("aria-label", "Links to review");
  root.dataset.testid = "review-editor";
  parent.appendChild(root);
  const s = {
    root,
    setTrigger,
    data: null,
    revision: null,
    rows: [],
    visible: [],
    position: new Map(), // link index -> position in rows
    current: 0, // position in rows of the current link
    sentence: 0, // which sentence of the current link is selected
    walkedTo: null, // link index that "next weakest" last went to, and its place in the order then
    walkedRank: -1,
    editing: null, // {side, sid, value}
    flagging: false,
    help: false,
    heights: new Map(),
    rowEls: new Map(),
    focusSeq: -1,
    messageSeq: -1,
    message: null,
    filters: { show: "all", low: false, doubt: false, q: "", weakFirst: false },
    pendingScroll: true,
    queue: [],
    sentAt: 0,
  };
  const params = new URLSearchParams(window.location.search);
  s.filters.show = params.get("show") || "all";
  s.filters.low = params.get("low") === "1";
  s.filters.doubt = params.get("doubt") === "1";
  s.filters.q = params.get("q") || "";
  s.filters.weakFirst = params.get("sort") === "weak";
  s.urlLink = Number.parseInt(params.get("link") || "", 10);

  s.bar = el("div", "wbr-bar");
  root.appendChild(s.bar);
  s.list = el("div", "wbr-list");
  s.list.setAttribute("data-testid", "review-list");
  // Chromium makes a scrolling box a tab stop of its own: Tab landed there, the arrows scrolled it and every other
  // key acted on nothing, so a reviewer without a mouse could not start. The keys belong to the editor as a whole.
  s.list.tabIndex = -1;
  s.list.addEventListener("focus", () => s.root.focus({ preventScroll: true }));
  root.appendChild(s.list);
  s.head = el("div", "wbr-head");
  s.list.appendChild(s.head);
  s.inner = el("div", "wbr-inner");
  s.list.appendChild(s.inner);
  s.hint = el("div", "wbr-hint", "Keys: ? for help · ↑ / ↓ move the current link (click a row, or Tab here) · Enter edits · a approves");
  root.appendChild(s.hint);
  buildBar(s);

  s.list.addEventListener("scroll", () => paint(s));
  setInterval(() => { if (s.queue.length && performance.now() - s.sentAt > 4000) send(s); }, 1000);
  window.addEventListener("resize", () => { sizeList(s); paint(s); });
  root.addEventListener("keydown", (event) => onKey(s, event));
  // Focus coming in from outside (Tab, a click on the page) shows where the keys will act: the current link.
  root.addEventListener("focus", (event) => {
    if (!event.relatedTarget || !root.contains(event.relatedTarget)) { s.keepInView = true; scrollToCurrent(s); paint(s); }
  });
  s.inner.addEventListener("click", (event) => onClick(s, event));
  s.inner.addEventListener("dblclick", (event) => onDoubleClick(s, event));
  return s;
}

function buildBar(s) {
  const bar = s.bar;
  s.counts = el("span", "wbr-counts");
  bar.appendChild(s.counts);
  s.showButtons = {};
  for (const [value, label] of [["all", "All"], ["todo", "To review"], ["flagged", "Flagged"], ["approved", "Approved"]]) {
    const b = el("button", "", label);
    b.type = "button";
    b.dataset.show = value;
    b.addEventListener("click", () => { s.filters.show = value; filtersChanged(s); });
    s.showButtons[value] = b;
    bar.appendChild(b);
  }
  s.weakButton = toggleButton(s, "Weakest first", "weakFirst");
  s.weakButton.title = "Links still to review, weakest first (the weaker of alignment confidence and quality), then the rest";
  s.lowButton = toggleButton(s, "Low confidence", "low");
  s.doubtButton = toggleButton(s, "Doubtful quality", "doubt");
  s.search = el("input");
  s.search.type = "search";
  s.search.placeholder = "Search (/)";
  s.search.setAttribute("aria-label", "Search");
  s.search.value = s.filters.q;
  s.search.addEventListener("input", () => { s.filters.q = s.search.value; filtersChanged(s, true); });
  s.search.addEventListener("keydown", (event) => {
    if (event.key === "Escape" || event.key === "Enter") { event.preventDefault(); event.stopPropagation(); s.root.focus(); }
  });
  bar.appendChild(s.search);
  s.goto = el("input");
  s.goto.type = "number";
  s.goto.min = "1";
  s.goto.placeholder = "Go to # (g)";
  s.goto.setAttribute("aria-label", "Go to link");
  s.goto.style.width = "8em";
  s.goto.addEventListener("keydown", (event) => {
    if (event.key === "Escape") { event.preventDefault(); s.root.focus({ preventScroll: true }); }
    if (event.key !== "Enter") return;
    event.preventDefault();
    event.stopPropagation();
    goToNumber(s, Number.parseInt(s.goto.value, 10));
    s.goto.value = "";
    s.root.focus({ preventScroll: true });
  });
  bar.appendChild(s.goto);
  s.undoButton = actionButton(s, "Undo", () => act(s, { op: "undo" }));
  s.redoButton = actionButton(s, "Redo", () => act(s, { op: "redo" }));
  s.weakestButton = actionButton(s, "Next weakest", () => nextWeakest(s));
  actionButton(s, "Keys", () => toggleHelp(s));
}

function toggleButton(s, label, name) {
  const b = el("button", "", label);
  b.type = "button";
  b.addEventListener("click", () => { s.filters[name] = !s.filters[name]; filtersChanged(s); });
  s.bar.appendChild(b);
  return b;
}

function actionButton(s, label, run) {
  const b = el("button", "", label);
  b.type = "button";
  b.addEventListener("click", () => { run(); s.root.focus({ preventScroll: true }); });
  s.bar.appendChild(b);
  return b;
}

// --------------------------------------------------------------------------------------------- data in

function update(s, data) {
  if (data.ack) acknowledge(s, data.ack);
  if (data.token !== undefined) {
    // Rows come as JSON text: all of them, or only the stretch that changed since the rows named by ``base``.
    const have = s.data && s.data.rows ? s.data.rows : null;
    if (data.token === s.rowsToken && have) data.rows = have;
    else if (data.base === undefined) data.rows = JSON.parse(data.rows_json);
    else if (data.base === s.rowsToken && have) {
      data.rows = have.slice();
      data.rows.splice(data.splice[0], data.splice[1], ...JSON.parse(data.rows_json));
    } else {
      if (!s.queue.length || s.queue[0].op !== "resync") s.queue.unshift({ op: "resync", index: 0, nonce: `r${Date.now()}` });
      send(s);
      return;
    }
    s.rowsToken = data.token;
    data.rows.forEach((row, k) => { row.i = k; });
  }
  const fresh = s.revision !== data.revision || s.data === null || s.data.mode !== data.mode
    || s.data.key !== data.key || s.data.rows.length !== data.rows.length;
  const recoloured = !fresh && s.data.quality_seq !== data.quality_seq;
  const previousIndex = s.rows.length ? s.rows[s.current]?.i : null;
  s.data = data;
  if (fresh) {
    s.rows = data.rows;
    s.revision = data.revision;
    s.position = new Map(s.rows.map((row, k) => [row.i, k]));
    s.heights.clear();
    s.estimates = null;
    s.rowEls.clear();
    s.inner.replaceChildren();
    s.editing = null;
    s.flagging = false;
    buildHead(s);
  } else if (recoloured) {
    // Only the quality signal changed (a background job finished): new colours, and an open editor stays open.
    s.rows = data.rows;
    s.qseq = (s.qseq || 0) + 1;
  }
  // Where to be: what Python asks for (after a merge, or a finding opened from Spot-check), else on the first
  // draw the URL's link, else the link Python last saw; later, the same link as before.
  let wanted = previousIndex;
  if (s.urlLink !== undefined) {
    wanted = Number.isFinite(s.urlLink) ? s.urlLink - 1 : data.start ?? 0;
    s.urlLink = undefined;
  }
  if (data.focus && data.focus.seq > s.focusSeq) {
    s.focusSeq = data.focus.seq;
    wanted = data.focus.index;
    s.pendingScroll = true;
  }
  if (data.message && data.message.seq > s.messageSeq) {
    s.messageSeq = data.message.seq;
    s.message = data.message;
  }
  applyFilters(s);
  const position = s.position.get(wanted ?? 0);
  s.current = position === undefined ? Math.min(s.current, Math.max(0, s.rows.length - 1)) : position;
  if (!s.vpos.has(s.current) && s.visible.length && fresh) {
    s.current = nearestVisible(s, s.current);
  }
  clampSentence(s);
  refreshBar(s);
  sizeList(s);
  if (s.pendingScroll || fresh) {  // after an edit the rows may have moved (weakest first), and change height
    s.keepInView = true;  // once measured, the current link is brought wholly into view (paint)
    scrollToCurrent(s);
  }
  paint(s);
  writeUrl(s);
  if (!s.root.contains(document.activeElement) && data.autofocus) {
    s.root.focus({ preventScroll: true });
  }
}

function buildHead(s) {
  const columns = s.data.columns;
  const gutter = 118;
  const widths = [`${gutter}px`];
  if (s.data.mode === "all") {
    // Several targets: every column keeps a readable width; the list scrolls sideways, the source stays.
    for (let k = 0; k < columns.length; k++) widths.push("minmax(240px, 1fr)");
    s.root.style.setProperty("--wbr-min-width", `${gutter + 240 * columns.length}px`);
  } else {
    for (let k = 0; k < columns.length; k++) widths.push("minmax(0, 1fr)");
    s.root.style.setProperty("--wbr-min-width", "0");
  }
  s.root.style.setProperty("--wbr-columns", widths.join(" "));
  s.root.style.setProperty("--wbr-gutter", `${gutter}px`);
  s.head.replaceChildren();
  s.head.appendChild(el("div", "wbr-sticky", s.data.mode === "all" ? "Source sentences" : "Link"));
  columns.forEach((column, k) => {
    s.head.appendChild(el("div", k === 0 ? "wbr-sticky2" : "", column.label));
  });
}

function applyFilters(s) {
  const f = s.filters;
  const needle = fold(f.q.trim());
  const low = s.data.low_confidence ?? 0.5;
  s.visible = [];
  s.rows.forEach((row, k) => {
    if (s.data.mode === "links") {
      if (f.show === "todo" && !(row.s === "auto" || row.s === "manual")) return;
      if (f.show === "flagged" && row.s !== "flagged") return;
      if (f.show === "approved" && row.s !== "confirmed") return;
      if (f.low && row.c !== null && row.c >= low) return;
      if (f.doubt && !(row.qb === "doubtful" || row.qb === "poor")) return;
    }
    if (needle) {
      if (row.fold === undefined) row.fold = fold(row.cells.map((cell) => cellText(cell)).join("\n"));
      if (!row.fold.includes(needle)) return;
    }
    s.visible.push(k);
  });
  if (f.weakFirst && s.data.mode === "links") {
    // The order "next weakest" walks (computed in Python from both signals), then what is approved or flagged.
    const rank = new Map((s.data.weak || []).map((i, r) => [i, r]));
    const last = rank.size;
    s.visible.sort((a, b) => (rank.get(s.rows[a].i) ?? last + a) - (rank.get(s.rows[b].i) ?? last + b));
  }
  s.vpos = new Map(s.visible.map((k, v) => [k, v]));
}

function cellText(cell) {
  const sentences = Array.isArray(cell) ? cell : cell.sents;
  return sentences.map((x) => x[1]).join(" ");
}

function filtersChanged(s, typing) {
  applyFilters(s);
  if (!s.vpos.has(s.current) && s.visible.length) s.current = nearestVisible(s, s.current);
  s.rowEls.clear();
  s.inner.replaceChildren();
  refreshBar(s);
  scrollToCurrent(s);
  paint(s);
  writeUrl(s);
  if (!typing) s.root.focus({ preventScroll: true });
}

function nearestVisible(s, position) {
  let best = s.visible[0];
  for (const k of s.visible) {
    if (k >= position) return k;
    best = k;
  }
  return best;
}

function refreshBar(s) {
  const d = s.data;
  const links = d.mode === "links";
  if (links) {
    const c = d.counts;
    s.counts.textContent = `${c.confirmed} of ${c.links} approved · ${c.flagged} flagged · ${c.todo} to review`
      + (s.visible.length !== s.rows.length ? ` · showing ${s.visible.length}` : "");
  } else {
    s.counts.textContent = `${s.rows.length} source spans` + (s.visible.length !== s.rows.length ? ` · showing ${s.visible.length}` : "");
  }
  for (const [value, b] of Object.entries(s.showButtons)) {
    b.setAttribute("aria-pressed", String(s.filters.show === value));
    b.hidden = !links;
  }
  s.lowButton.setAttribute("aria-pressed", String(s.filters.low));
  s.weakButton.setAttribute("aria-pressed", String(s.filters.weakFirst));
  s.weakButton.hidden = s.weakestButton.hidden = !links;
  s.doubtButton.setAttribute("aria-pressed", String(s.filters.doubt));
  s.lowButton.hidden = s.doubtButton.hidden = !links;
  s.undoButton.disabled = !d.undo;
  s.undoButton.title = d.undo ? `Undo: ${d.undo} (z)` : "Nothing to undo";
  s.redoButton.disabled = !d.redo;
  s.redoButton.title = d.redo ? `Redo: ${d.redo} (Z)` : "Nothing to redo";
}

function writeUrl(s) {
  const url = new URL(window.location.href);
  const row = s.rows[s.current];
  const values = {
    link: row && s.data.mode === "links" ? String(row.i + 1) : "",
    show: s.filters.show !== "all" ? s.filters.show : "",
    low: s.filters.low ? "1" : "",
    doubt: s.filters.doubt ? "1" : "",
    q: s.filters.q,
    sort: s.filters.weakFirst ? "weak" : "",
  };
  let changed = false;
  for (const key of URL_KEYS) {
    const value = values[key];
    if ((url.searchParams.get(key) || "") === value) continue;
    if (value) url.searchParams.set(key, value);
    else url.searchParams.delete(key);
    changed = true;
  }
  if (changed) window.history.replaceState(window.history.state, "", url);
}

// --------------------------------------------------------------------------------------------- drawing

function sizeList(s) {
  s.width = s.list.clientWidth;
  const top = s.list.getBoundingClientRect().top;
  const height = Math.max(360, Math.round(window.innerHeight - Math.max(top, 0) - 48));
  s.root.style.setProperty("--wbr-height", `${height}px`);
}

function estimate(s, k) {
  // Heights of rows not drawn yet, from their text length at the list's width: computed once a revision (and
  // width), since reading the width in the loop would force a layout per row.
  const width = s.width || 800;
  if (!s.estimates || s.estimatesWidth !== width) {
    s.estimates = new Array(s.rows.length);
    s.estimatesWidth = width;
  }
  if (s.estimates[k] === undefined) {
    const row = s.rows[k];
    const column = Math.max(200, (width - 118) / Math.max(1, row.cells.length));
    const perLine = Math.max(20, Math.floor(column / 8));
    let lines = 1;
    for (const cell of row.cells) lines = Math.max(lines, Math.ceil(Math.max(1, shownWidth(cellText(cell))) / perLine));
    s.estimates[k] = 14 + lines * 21 + (row.n ? 20 : 0);
  }
  return s.estimates[k];
}

// Characters drawn about twice as wide as a Latin letter: CJK ideographs, kana, Hangul and full-width forms.
const WIDE = /[\u1100-\u115f\u2e80-\ua4cf\uac00-\ud7a3\uf900-\ufaff\ufe30-\ufe4f\uff00-\uff60\uffe0-\uffe6]/g;

function shownWidth(text) {
  // In Latin letters' widths: a Chinese row counted by its characters was estimated at half its height (42% short
  // on a zh-en chapter), so the list jumped as rows were measured and End landed short of the end.
  return text.length + (text.match(WIDE)?.length ?? 0);
}

function heightOf(s, k) {
  return s.heights.get(k) ?? estimate(s, k);
}

function offsets(s) {
  const tops = new Array(s.visible.length + 1);
  tops[0] = 0;
  for (let v = 0; v < s.visible.length; v++) tops[v + 1] = tops[v] + heightOf(s, s.visible[v]);
  return tops;
}

function scrollToCurrent(s) {
  s.pendingScroll = false;
  const v = s.vpos.get(s.current) ?? -1;
  if (v < 0) return;
  const tops = offsets(s);
  const head = s.head.offsetHeight || 30;
  const view = s.list.clientHeight - head;
  const top = tops[v];
  const bottom = tops[v + 1];
  if (top < s.list.scrollTop) s.list.scrollTop = Math.max(0, top - 8);
  else if (bottom > s.list.scrollTop + view) s.list.scrollTop = bottom - top > view ? top : bottom - view + 8;
}

function paint(s, depth = 0) {
  if (!s.data) return;
  const tops = offsets(s);
  s.inner.style.height = `${tops[s.visible.length]}px`;
  const start = s.list.scrollTop - OVERSCAN;
  const end = s.list.scrollTop + s.list.clientHeight + OVERSCAN;
  const drawn = new Set();
  let first = lowerBound(tops, start);
  for (let v = Math.max(0, first - 1); v < s.visible.length && tops[v] < end; v++) drawn.add(s.visible[v]);
  if (s.vpos.has(s.current)) drawn.add(s.current);
  for (const [k, node] of s.rowEls) {
    if (!drawn.has(k)) { node.remove(); s.rowEls.delete(k); }
  }
  let moved = false;
  for (const k of drawn) {
    let node = s.rowEls.get(k);
    const signature = rowSignature(s, k);
    const busy = node && k === s.current && (s.editing || s.flagging) && node.querySelector("textarea, input");
    if (!node || (node.dataset.sig !== signature && !busy)) {
      const fresh = drawRow(s, k);
      fresh.dataset.sig = signature;
      if (node) node.replaceWith(fresh); else s.inner.appendChild(fresh);
      node = fresh;
      s.rowEls.set(k, node);
    }
    const v = s.vpos.get(k);
    node.style.top = `${tops[v]}px`;
    const measured = node.offsetHeight;
    if (measured && measured !== s.heights.get(k)) { s.heights.set(k, measured); moved = true; }
  }
  if (moved && depth < 2) {
    // Real heights differ from the estimates: lay out again so rows neither overlap nor leave gaps, and keep the
    // current link where the reviewer sees it. Anchored only when it sat above the view, the last links of a long
    // document slid out of sight below after each edit, as the rows above them were measured anew.
    const v = s.vpos.get(s.current) ?? -1;
    const now = offsets(s);
    s.inner.style.height = `${now[s.visible.length]}px`;  // first, so that the scroll below is not cut short
    const anchor = v >= 0 ? now[v] - tops[v] : 0;
    const seen = v >= 0 && tops[v] < s.list.scrollTop + s.list.clientHeight;
    if (anchor && seen) s.list.scrollTop += anchor;
    paint(s, depth + 1);
    if (depth === 0 && s.keepInView) { s.keepInView = false; scrollToCurrent(s); paint(s, 1); }
  }
}

function lowerBound(tops, value) {
  let lo = 0, hi = tops.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (tops[mid + 1] <= value) lo = mid + 1; else hi = mid;
  }
  return lo;
}

function rowSignature(s, k) {
  const current = k === s.current;
  const parts = [current ? "c" : "", s.revision, s.qseq || 0];
  if (current) {
    parts.push(s.sentence, s.editing ? `e${s.editing.sid}` : "", s.flagging ? "f" : "");
  }
  if (s.message && s.rows[k].i === s.message.index) parts.push(`m${s.message.seq}`);
  if (s.rows[k].pending) parts.push("p");
  return parts.join("|");
}

function statusLabel(status) {
  return { confirmed: "✓ approved", flagged: "⚑ flagged", manual: "by hand, to approve", auto: "" }[status] ?? status;
}

function drawRow(s, k) {
  const row = s.rows[k];
  const current = k === s.current;
  const node = el("div", "wbr-row" + (current ? " wbr-current" : "") + (row.pending ? " wbr-pending" : ""));
  node.dataset.pos = String(k);
  node.dataset.link = String(row.i + 1);
  node.setAttribute("role", "row");
  if (current) node.setAttribute("aria-selected", "true");
  const gutter = el("div", "wbr-gutter wbr-sticky");
  if (s.data.mode === "links") {
    gutter.appendChild(el("span", "wbr-num", `#${row.i + 1} · ${row.k}`));
    const chips = el("span");
    const a = el("span", `wbr-chip wbr-a-${row.cb}`, row.c === null ? "align –" : `align ${row.c.toFixed(2)}`);
    a.title = "Alignment confidence: is this the right pairing? (red below 0.5, orange to 0.8, green above)";
    // Without a round trip, a link the checks found nothing in reads "no finding", not "1.00": the meaning itself
    // was not checked, and a perfect-looking number would say it was.
    const unchecked = row.q !== null && !row.r && !row.rt && row.q >= 0.995;
    const label = row.q === null ? "quality ?" : unchecked ? "no finding" : `quality ${row.q.toFixed(2)}`;
    const q = el("span", `wbr-chip wbr-q-${row.qb}`, label);
    q.title = "Translation quality from the spot-checks" + (row.r ? `: ${row.r}` : ": nothing found") +
      (unchecked ? " (no round trip: the meaning itself was not checked)" : "");
    chips.append(a, " ", q);
    gutter.appendChild(chips);
    if (row.s !== "auto") gutter.appendChild(el("span", `wbr-status wbr-status-${row.s}`, statusLabel(row.s)));
  } else {
    gutter.appendChild(el("span", "wbr-num", row.label));
  }
  node.appendChild(gutter);
  row.cells.forEach((cell, c) => node.appendChild(drawCell(s, row, cell, c, current)));
  if (s.message && s.message.index === row.i) {
    node.appendChild(el("div", `wbr-msg wbr-msg-${s.message.kind}`, s.message.text));
  }
  if (s.data.mode === "links") {
    if (current && row.r) node.appendChild(el("div", "wbr-reasons", `Quality: ${row.r}`));
    if (row.n) node.appendChild(el("div", "wbr-note", `Note: ${row.n}`));
    if (current && s.flagging) node.appendChild(flagBox(s, row));
  }
  return node;
}

function drawCell(s, row, cell, c, current) {
  const column = s.data.columns[c];
  const box = el("div", (c === 0 ? "wbr-sticky2" : "") + (column.cjk ? " wbr-cjk" : ""));
  box.setAttribute("role", "gridcell");
  box.lang = column.lang || "";
  const sentences = Array.isArray(cell) ? cell : cell.sents;
  if (!Array.isArray(cell)) {
    // All languages: a target's links for this span, with their numbers and the weakest link's colours.
    const tag = el("span", `wbr-chip wbr-a-${cell.cb}`, cell.links.length ? `#${cell.links.map((i) => i + 1).join(", #")}` : "–");
    tag.title = "This target's links for the span; Enter or double-click opens them in the target's own view";
    const quality = el("span", `wbr-chip wbr-q-${cell.qb || "unknown"}`, "quality");
    quality.title = "The poorest translation quality among these links";
    box.append(tag, " ", quality, " ");
    if (cell.s !== "auto") box.append(el("span", `wbr-status wbr-status-${cell.s}`, statusLabel(cell.s)), " ");
  }
  if (!sentences.length) box.appendChild(el("span", "wbr-empty", "(nothing)"));
  sentences.forEach(([sid, text], k) => {
    const number = sentenceNumber(s, row, c, k);
    const span = el("span", "wbr-sent");
    span.dataset.sid = sid;
    span.dataset.side = column.key;
    span.dataset.n = String(number);
    if (current && s.data.mode === "links" && number === s.sentence) span.classList.add("wbr-focus");
    if (current && s.editing && s.editing.sid === sid && s.editing.side === column.key) {
      span.appendChild(editor(s, row, text));
    } else {
      if (current) span.appendChild(el("span", "wbr-sid", sid));
      span.appendChild(document.createTextNode(text));
    }
    box.appendChild(span);
  });
  return box;
}

function sentenceNumber(s, row, c, k) {
  // Sentences of the current link are numbered across both sides, source first: what ← and → walk through.
  let n = 0;
  for (let j = 0; j < c; j++) n += (Array.isArray(row.cells[j]) ? row.cells[j] : row.cells[j].sents).length;
  return n + k;
}

function editor(s, row, text) {
  const area = el("textarea", "wbr-editor");
  area.value = s.editing.value ?? text;
  area.setAttribute("aria-label", `Edit sentence ${s.editing.sid}`);
  area.addEventListener("input", () => { s.editing.value = area.value; autosize(area); });
  area.addEventListener("keydown", (event) => {
    event.stopPropagation();
    if (event.key === "Escape") {
      event.preventDefault();
      s.editing = null;
      repaintCurrent(s);
      s.root.focus({ preventScroll: true });
    } else if (event.key === "Enter" && (event.ctrlKey || event.metaKey)) {
      event.preventDefault();
      const { side, sid } = s.editing;
      const value = area.value;
      s.editing = null;
      const cellIndex = s.data.columns.findIndex((column) => column.key === side);
      const sentence = row.cells[cellIndex].find((x) => x[0] === sid);
      if (sentence && value.trim() !== sentence[1]) {
        sentence[1] = value.trim();
        row.pending = true;
        act(s, { op: "edit", side, sid, text: value });
      }
      repaintCurrent(s);
      s.root.focus({ preventScroll: true });
    }
  });
  requestAnimationFrame(() => { autosize(area); area.focus({ preventScroll: true }); area.setSelectionRange(area.value.length, area.value.length); });
  return area;
}

function autosize(area) {
  area.style.height = "auto";
  area.style.height = `${area.scrollHeight + 4}px`;
}

function flagBox(s, row) {
  const box = el("div", "wbr-flagbox");
  const input = el("input");
  input.placeholder = "What is wrong here? Enter flags the link, Esc cancels";
  input.setAttribute("aria-label", "Flag note");
  input.value = row.n || "";
  input.addEventListener("keydown", (event) => {
    event.stopPropagation();
    if (event.key === "Escape") {
      event.preventDefault();
      s.flagging = false;
      repaintCurrent(s);
      s.root.focus({ preventScroll: true });
    } else if (event.key === "Enter") {
      event.preventDefault();
      s.flagging = false;
      act(s, { op: "flag", index: row.i, note: input.value });
      repaintCurrent(s);
      s.root.focus({ preventScroll: true });
    }
  });
  box.append(el("span", "wbr-status wbr-status-flagged", "⚑ Flag:"), input);
  requestAnimationFrame(() => input.focus({ preventScroll: true }));
  return box;
}

function repaintCurrent(s) {
  const node = s.rowEls.get(s.current);
  if (node) node.dataset.sig = "";
  paint(s);
}

// --------------------------------------------------------------------------------------------- input

function sentencesOf(row) {
  const all = [];
  row.cells.forEach((cell, c) => {
    (Array.isArray(cell) ? cell : cell.sents).forEach(([sid, text]) => all.push({ c, sid, text }));
  });
  return all;
}

function clampSentence(s) {
  const row = s.rows[s.current];
  const n = row ? sentencesOf(row).length : 0;
  s.sentence = Math.max(0, Math.min(s.sentence, n - 1));
}

function go(s, position) {
  if (position === undefined || position === s.current) return;
  s.current = position;
  s.sentence = 0;
  s.editing = null;
  s.flagging = false;
  if (s.message) s.message = null;
  s.keepInView = true;
  scrollToCurrent(s);
  paint(s);
  writeUrl(s);
}

function step(s, by) {
  if (!s.visible.length) return;
  let v = s.vpos.get(s.current) ?? -1;
  if (v < 0) v = (s.vpos.get(nearestVisible(s, s.current)) ?? 0) - (by > 0 ? 1 : 0);
  v = Math.max(0, Math.min(s.visible.length - 1, v + by));
  go(s, s.visible[v]);
}

function nextWeakest(s) {
  // "w" walks the order on from the link it last reached: from that link itself, or, once the reviewer approved or
  // flagged it (it left the order), from the place it had, so links passed over stay for later instead of coming
  // back after every approval. From anywhere else it starts at the top: the weakest link still to review, not the
  // one after the current link's place in the order, which from a strong link was another strong link.
  if (s.data.mode !== "links") return;
  const order = s.data.weak || [];
  const visible = new Set(s.visible.map((k) => s.rows[k].i));
  const at = s.rows[s.current]?.i;
  const walked = order.indexOf(s.walkedTo);
  let here = -1;
  if (walked >= 0 && at === s.walkedTo) here = walked;
  else if (walked < 0 && s.walkedTo !== null) here = s.walkedRank - 1;
  for (let j = 1; j <= order.length; j++) {
    const rank = (here + j) % order.length;
    const index = order[rank];
    if (visible.has(index) && index !== at) {
      s.walkedTo = index;
      s.walkedRank = rank;
      go(s, s.position.get(index));
      return;
    }
  }
  showMessage(s, "success", "Every link these filters show is approved or flagged.");
}

function goToNumber(s, number) {
  const position = s.position.get(number - 1);
  if (position === undefined) { showMessage(s, "error", `There is no link ${number}: they are numbered 1 to ${s.rows.length}.`); return; }
  if (!s.vpos.has(position)) {
    // Asked for by number: show it even if the filters hid it, rather than refuse.
    s.filters = { show: "all", low: false, doubt: false, q: "", weakFirst: s.filters.weakFirst };
    s.search.value = "";
    applyFilters(s);
    refreshBar(s);
    s.rowEls.clear();
    s.inner.replaceChildren();
  }
  go(s, position);
}

function showMessage(s, kind, text) {
  const row = s.rows[s.current];
  if (!row) return;
  s.message = { index: row.i, kind, text, seq: s.messageSeq };
  repaintCurrent(s);
}

function act(s, action) {
  // Actions go one at a time, each until the page says it has applied it (``data.ack``): two set before a run
  // starts would leave only the last one, and a run the server starts on its own may pass one over. A resent
  // action carries the same nonce, and the page applies each nonce once.
  const row = s.rows[s.current];
  s.queue.push({ index: row ? row.i : 0, ...action, nonce: `${Date.now()}-${Math.random()}` });
  if (s.queue.length === 1) send(s);
}

function send(s) {
  const head = s.queue[0];
  if (!head) return;
  s.sentAt = performance.now();
  s.setTrigger("action", head);
}

function acknowledge(s, ack) {
  if (s.queue.length && s.queue[0].nonce === ack) {
    s.queue.shift();
    send(s);
  }
}

function selected(s) {
  const row = s.rows[s.current];
  if (!row) return null;
  return sentencesOf(row)[s.sentence] ?? null;
}

function onKey(s, event) {
  if (event.target !== s.root) return; // typing in the search box, the editor or the note
  const key = event.key;
  const ctrl = event.ctrlKey || event.metaKey;
  if (s.help && (key === "Escape" || key === "?")) { event.preventDefault(); toggleHelp(s); return; }
  const row = s.rows[s.current];
  const links = s.data.mode === "links";
  const handled = () => event.preventDefault();
  if (key === "ArrowDown" && event.altKey) { handled(); moveEdge(s, "next"); }
  else if (key === "ArrowUp" && event.altKey) { handled(); moveEdge(s, "previous"); }
  else if (key === "ArrowDown" || key === "j") { handled(); step(s, 1); }
  else if (key === "ArrowUp" || key === "k") { handled(); step(s, -1); }
  else if (key === "PageDown") { handled(); step(s, 10); }
  else if (key === "PageUp") { handled(); step(s, -10); }
  else if (key === "Home") { handled(); step(s, -s.rows.length); }
  else if (key === "End") { handled(); step(s, s.rows.length); }
  else if (key === "ArrowRight" || key === "l") { handled(); setSentence(s, s.sentence + 1); }
  else if (key === "ArrowLeft" || key === "h") { handled(); setSentence(s, s.sentence - 1); }
  else if (key === "?") { handled(); toggleHelp(s); }
  else if (key === "/") { handled(); s.search.focus(); s.search.select(); }
  else if (key === "w") { handled(); nextWeakest(s); }
  else if (key === "g") { handled(); s.goto.focus(); }
  else if ((key === "z" && !ctrl) || (ctrl && !event.shiftKey && key.toLowerCase() === "z")) { handled(); act(s, { op: "undo" }); }
  else if (key === "Z" || (ctrl && key.toLowerCase() === "y") || (ctrl && event.shiftKey && key.toLowerCase() === "z")) {
    handled(); act(s, { op: "redo" });
  }
  else if (key === "r") { handled(); act(s, { op: "reload" }); }
  else if (!row) { /* nothing below applies to an empty list */ }
  else if (!links) {
    if (key === "Enter") { handled(); openInTarget(s, row); }
  }
  else if (key === "Enter") { handled(); startEditing(s); }
  else if (key === "a" || key === " ") { handled(); act(s, { op: "confirm" }); step(s, 1); }
  else if (key === "A") { handled(); act(s, { op: "confirm" }); }
  else if (key === "u") { handled(); act(s, { op: "unconfirm" }); }
  else if (key === "f") { handled(); s.flagging = true; repaintCurrent(s); }
  else if (key === "m") { handled(); act(s, { op: "merge", other: row.i + 1 }); }
  else if (key === "M") { handled(); act(s, { op: "merge", other: row.i - 1 }); }
  else if (key === "s") { handled(); splitHere(s, row); }
  else if (key === "]") { handled(); moveEdge(s, "next"); }
  else if (key === "[") { handled(); moveEdge(s, "previous"); }
  else if (key === "x") { handled(); act(s, { op: "unlink" }); }
  else if (key === "J") {
    handled();
    const sentence = selected(s);
    if (sentence) act(s, { op: "join", side: s.data.columns[sentence.c].key, sid: sentence.sid });
  }
}

function startEditing(s) {
  const sentence = selected(s);
  if (!sentence) return;
  s.editing = { side: s.data.columns[sentence.c].key, sid: sentence.sid, value: null };
  repaintCurrent(s);
}

function moveEdge(s, direction) {
  const sentence = selected(s);
  if (!sentence || s.data.mode !== "links") return;
  act(s, { op: "move", which: sentence.c === 0 ? "source" : "target", direction });
}

function splitHere(s, row) {
  // Cut after the selected sentence on its side; the other side is cut where its share of the link is the same,
  // which the boundary keys ([ and ]) correct where it is not.
  const sentence = selected(s);
  if (!sentence) return;
  const src = row.cells[0].length, tgt = row.cells[1].length;
  const mine = sentence.c === 0 ? src : tgt;
  const other = sentence.c === 0 ? tgt : src;
  const k = sentence.c === 0 ? s.sentence + 1 : s.sentence - src + 1;
  const share = Math.round((other * k) / Math.max(1, mine));
  const sourceAt = sentence.c === 0 ? k : share;
  const targetAt = sentence.c === 0 ? share : k;
  act(s, { op: "split", source_at: sourceAt, target_at: targetAt });
}

function openInTarget(s, row) {
  const column = Math.min(s.data.columns.length - 1, Math.max(1, s.sentence || 1));
  const cell = row.cells[column];
  if (cell && cell.links && cell.links.length) act(s, { op: "open", target: s.data.columns[column].key, link: cell.links[0] });
}

function onClick(s, event) {
  const node = event.target.closest(".wbr-row");
  if (!node || event.target.closest("textarea, input")) return;
  const position = Number(node.dataset.pos);
  if (position !== s.current) go(s, position);
  const sentence = event.target.closest(".wbr-sent");
  if (sentence && s.data.mode === "links") setSentence(s, Number(sentence.dataset.n));
  if (sentence && s.data.mode === "all") s.sentence = s.data.columns.findIndex((c) => c.key === sentence.dataset.side);
  // A row made current is drawn anew, so the browser's dblclick (two clicks on one node) may never come: two
  // clicks on the same sentence within the system's usual interval count as one here.
  const now = performance.now();
  const id = sentence ? `${position}:${sentence.dataset.n}` : null;
  if (id && s.lastClick && s.lastClick.id === id && now - s.lastClick.at < 450) {
    s.lastClick = null;
    openSentence(s);
    return;
  }
  s.lastClick = id ? { id, at: now } : null;
  s.root.focus({ preventScroll: true });
}

function openSentence(s) {
  if (s.data.mode === "all") { openInTarget(s, s.rows[s.current]); return; }
  if (!s.editing) startEditing(s);
}

function onDoubleClick(s, event) {
  const sentence = event.target.closest(".wbr-sent");
  if (!sentence || event.target.closest("textarea, input")) return;
  s.lastClick = null;
  if (s.data.mode === "links") setSentence(s, Number(sentence.dataset.n));
  openSentence(s);
}

function setSentence(s, n) {
  // Only the outline moves: the row is not drawn again (that would lose a double-click and cost time).
  s.sentence = n;
  clampSentence(s);
  const node = s.rowEls.get(s.current);
  if (!node || s.editing) { repaintCurrent(s); return; }
  for (const span of node.querySelectorAll(".wbr-sent")) {
    span.classList.toggle("wbr-focus", Number(span.dataset.n) === s.sentence);
  }
  node.dataset.sig = rowSignature(s, s.current);
}

function toggleHelp(s) {
  s.help = !s.help;
  if (s.helpBox) { s.helpBox.remove(); s.helpBox = null; }
  if (!s.help) { s.root.focus({ preventScroll: true }); return; }
  const box = el("div", "wbr-help");
  box.setAttribute("role", "dialog");
  box.setAttribute("aria-label", "Review keys");
  box.appendChild(el("h4", "", "Keys of the review editor"));
  const table = el("table");
  for (const [keys, what] of HELP) {
    const tr = el("tr");
    const td = el("td");
    td.appendChild(el("kbd", "", keys));
    tr.append(td, el("td", "", what));
    table.appendChild(tr);
  }
  box.appendChild(table);
  s.root.appendChild(box);
  s.helpBox = box;
  s.root.focus({ preventScroll: true });
}


#!/usr/bin/env node
// visual.mjs renders bench-action's outputs as people see them and checks
// the rendered DOM, so that a table that wraps a date or a page that is
// too wide fails CI instead of being found by eye.
//
//   node visual.mjs [--out DIR] [--width N] [--chromium PATH] [--mermaid FILE]
//                   [--owners a,b] [--known-failing NAME,...] FILE[@WIDTH[,WIDTH...]]...
//
// A Markdown file (.md) is rendered as GitHub renders a comment, an issue
// or a job summary: GFM by marked (+ marked-gfm-heading-id), GitHub's CSS
// (github-markdown-css), GitHub's alerts, and ```mermaid blocks drawn by
// Mermaid's browser bundle (--mermaid; without it they stay code blocks).
// A .html file is loaded as it is. Default widths: 900 px for Markdown,
// 900 and 1920 px for HTML; FILE@300 or --width 300 (every file) override
// them, and "print" renders an HTML page with its print stylesheet at the
// width of A4 landscape. Each page is saved as DIR/NAME-WIDTH.png.
//
// Checks, from the rendered DOM, at each width:
//   - the page is no wider than the width (nothing sticks out, no element
//     scrolls sideways);
//   - no date (2026-11-01, 2026-11-01 06:00), owner (*-team, --owners, or
//     a cell of an "owner" column) or flag (--profiling=false) in a table
//     cell wraps onto two lines (Range.getClientRects of its text);
//   - every Mermaid block renders.
// The checks open every <details> first; the PNG shows the page as it opens.
// Each problem is printed with the file, the width and the element (its
// table, row, column and the heading above it); the exit status is 1 when
// there is one, 2 on bad usage. --known-failing names files (by base name)
// whose problems are printed but do not fail: outputs whose redesign is
// known to be pending. Chromium is Debian's /usr/bin/chromium,
// headless, with a fresh profile; every request off the machine is refused.
import { chromium } from "playwright-core";
import { Marked } from "marked";
import { gfmHeadingId } from "marked-gfm-heading-id";
import { mkdtempSync, mkdirSync, readFileSync, rmSync, writeFileSync, existsSync } from "node:fs";
import { tmpdir } from "node:os";
import { basename, dirname, extname, join, resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
const started = Date.now();

function usage(msg) {
  console.error(`visual: ${msg}\nusage: node visual.mjs [--out DIR] [--width N] [--chromium PATH] [--mermaid FILE] [--owners a,b] [--known-failing NAME,...] FILE[@WIDTH,...]...`);
  process.exit(2);
}

const opts = { out: "/tmp/visual", width: 0, chromium: "/usr/bin/chromium", mermaid: "", owners: [], known: [], files: [] };
const argv = process.argv.slice(2);
for (let i = 0; i < argv.length; i++) {
  const a = argv[i];
  const val = () => (i + 1 < argv.length ? argv[++i] : usage(`${a} needs a value`));
  switch (a) {
    case "--out": opts.out = val(); break;
    case "--width": opts.width = Number(val()); if (!(opts.width > 0)) usage("--width wants a positive number of px"); break;
    case "--chromium": opts.chromium = val(); break;
    case "--mermaid": opts.mermaid = val(); break;
    case "--owners": opts.owners = val().split(",").map((s) => s.trim()).filter(Boolean); break;
    case "--known-failing": opts.known = val().split(",").map((s) => s.trim()).filter(Boolean); break;
    default:
      if (a.startsWith("-")) usage(`unknown flag ${a}`);
      opts.files.push(a);
  }
}
if (opts.files.length === 0) usage("no file to render");
if (!existsSync(opts.chromium)) {
  console.error(`visual: ${opts.chromium} not found: apt-get install -y chromium (never a downloaded browser)`);
  process.exit(1);
}
if (opts.mermaid && !existsSync(opts.mermaid)) usage(`--mermaid ${opts.mermaid}: no such file`);

// jobs: one page per file and width.
const jobs = [];
for (const spec of opts.files) {
  const at = spec.lastIndexOf("@");
  const file = resolve(at > 0 ? spec.slice(0, at) : spec);
  const kind = extname(file).toLowerCase() === ".md" ? "markdown" : extname(file).toLowerCase() === ".html" ? "html" : "";
  if (!kind) usage(`${spec}: want a .md or .html file`);
  if (!existsSync(file)) usage(`${spec}: no such file`);
  let widths = at > 0 ? spec.slice(at + 1).split(",") : kind === "html" ? ["900", "1920"] : ["900"];
  if (opts.width) widths = [String(opts.width)];
  for (const w of widths) {
    if (w === "print") jobs.push({ file, kind, width: 1123, print: true, label: "print" });
    else if (Number(w) > 0) jobs.push({ file, kind, width: Number(w), print: false, label: String(Number(w)) });
    else usage(`${spec}: width ${w}: want a number of px or "print"`);
  }
}

mkdirSync(opts.out, { recursive: true });
const work = mkdtempSync(join(tmpdir(), "bench-action-visual-"));
const css = join(here, "node_modules", "github-markdown-css", "github-markdown-light.css");
const marked = new Marked({ gfm: true }).use(gfmHeadingId());

// markdownPage writes the page GitHub would show for a Markdown body.
function markdownPage(file) {
  const body = marked.parse(readFileSync(file, "utf8"));
  const page = join(work, basename(file) + ".html");
  writeFileSync(page, `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<link rel="stylesheet" href="${pathToFileURL(css)}">
<style>html, body { margin: 0; background: #fff; } .markdown-body { box-sizing: border-box; padding: 16px; }</style>
</head><body><article class="markdown-body">
${body}
</article></body></html>`);
  return page;
}

const problems = [];
const known = []; // problems of --known-failing files
const flags = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
  "--disable-background-networking", "--disable-component-update", "--disable-sync"];
const profile = join(work, "profile");
mkdirSync(profile);
const context = await chromium.launchPersistentContext(profile, {
  executablePath: opts.chromium, headless: true, args: flags, viewport: { width: 900, height: 900 }, deviceScaleFactor: 1,
});
try {
  await context.route("**/*", (route) => {
    const u = route.request().url();
    return u.startsWith("file:") || u.startsWith("data:") ? route.continue() : route.abort();
  });
  const page = context.pages()[0] ?? (await context.newPage());
  for (const job of jobs) {
    const name = `${basename(job.file)}@${job.label}`;
    await page.setViewportSize({ width: job.width, height: 900 });
    await page.emulateMedia({ media: job.print ? "print" : "screen" });
    const url = pathToFileURL(job.kind === "markdown" ? markdownPage(job.file) : job.file).href;
    await page.goto(url, { waitUntil: "load" });
    if (job.kind === "markdown") {
      await page.evaluate(githubAlerts);
      const blocks = await page.locator("pre > code.language-mermaid").count();
      if (blocks > 0 && opts.mermaid) {
        await page.addScriptTag({ path: opts.mermaid });
        const errs = await page.evaluate(renderMermaid);
        for (const e of errs) (opts.known.includes(basename(job.file)) ? known : problems).push(`${name}: ${e}`);
      }
    }
    // The PNG shows the page as it opens; the checks see every <details>
    // opened, as a reader who opens them does.
    const png = join(opts.out, `${basename(job.file, extname(job.file))}${job.kind === "html" ? "-html" : ""}-${job.label}.png`);
    await page.screenshot({ path: png, fullPage: true });
    const h = await page.evaluate(() => document.documentElement.scrollHeight);
    await page.evaluate(() => document.querySelectorAll("details").forEach((d) => { d.open = true; }));
    const found = await page.evaluate(checkPage, { maxWidth: job.width, owners: opts.owners });
    for (const p of found) (opts.known.includes(basename(job.file)) ? known : problems).push(`${name}: ${p}`);
    console.log(`visual: ${name}: ${found.length ? found.length + " problem(s)" : "ok"} (${job.width} x ${h} px) -> ${png}`);
  }
} finally {
  await context.close();
  rmSync(work, { recursive: true, force: true });
}

const secs = ((Date.now() - started) / 1000).toFixed(1);
if (known.length) {
  console.log(`\nvisual: ${known.length} known problem(s) in ${opts.known.join(", ")} (--known-failing: printed, not fatal):`);
  for (const p of known) console.log(`  - ${p}`);
}
if (problems.length) {
  console.error(`\nvisual: FAILED: ${problems.length} problem(s) in the rendered pages:`);
  for (const p of problems) console.error(`  - ${p}`);
  console.error(`visual: ${jobs.length} page(s) rendered in ${secs} s; PNGs in ${opts.out}`);
  process.exit(1);
}
console.log(`visual: ${jobs.length} page(s) rendered and checked in ${secs} s, no problem; PNGs in ${opts.out}`);

// ---- in the page ----

// githubAlerts turns "> [!WARNING]" blockquotes into GitHub's alerts.
function githubAlerts() {
  for (const q of document.querySelectorAll("blockquote")) {
    const p = q.querySelector("p");
    const m = p && p.firstChild && p.firstChild.nodeType === 3 && /^\s*\[!(NOTE|TIP|IMPORTANT|WARNING|CAUTION)\]\s*/.exec(p.firstChild.data);
    if (!m) continue;
    p.firstChild.data = p.firstChild.data.slice(m[0].length);
    const kind = m[1].toLowerCase();
    const div = document.createElement("div");
    div.className = `markdown-alert markdown-alert-${kind}`;
    const title = document.createElement("p");
    title.className = "markdown-alert-title";
    title.textContent = kind[0].toUpperCase() + kind.slice(1);
    div.append(title, ...q.childNodes);
    q.replaceWith(div);
  }
}

// renderMermaid draws the ```mermaid blocks as GitHub does.
async function renderMermaid() {
  const errs = [];
  const blocks = [...document.querySelectorAll("pre > code.language-mermaid")];
  window.mermaid.initialize({ startOnLoad: false, theme: "default", securityLevel: "strict" });
  for (const [i, code] of blocks.entries()) {
    const div = document.createElement("div");
    div.className = "mermaid";
    try {
      const { svg } = await window.mermaid.render(`mermaid-${i}`, code.textContent);
      div.innerHTML = svg;
      code.parentElement.replaceWith(div);
    } catch (e) {
      errs.push(`Mermaid block ${i + 1} does not render: ${String(e && e.message || e).split("\n")[0]}`);
    }
  }
  return errs;
}

// checkPage measures the page: its width, and the dates, owners and flags
// of table cells that wrap.
function checkPage({ maxWidth, owners }) {
  const out = [];
  const text = (el) => (el.textContent || "").replace(/\s+/g, " ").trim();
  const short = (s) => (s.length > 60 ? s.slice(0, 57) + "..." : s);
  const cssPath = (el) => {
    const parts = [];
    for (let e = el; e && e !== document.body && parts.length < 6; e = e.parentElement) {
      let part = e.tagName.toLowerCase();
      if (e.id) { parts.unshift(`${part}#${e.id}`); break; }
      const same = [...(e.parentElement?.children || [])].filter((c) => c.tagName === e.tagName);
      if (same.length > 1) part += `:nth-of-type(${same.indexOf(e) + 1})`;
      parts.unshift(part);
    }
    return parts.join(" > ");
  };
  const headingOf = (el) => {
    const inner = el.querySelector && el.querySelector("h1, h2, h3, h4, h5, h6, summary, figcaption");
    if (inner) return `holding "${short(text(inner))}"`;
    const hs = [...document.querySelectorAll("h1, h2, h3, h4, h5, h6, summary, figcaption")];
    let last = null;
    for (const h of hs) if (h.compareDocumentPosition(el) & Node.DOCUMENT_POSITION_FOLLOWING) last = h;
    return last ? `under "${short(text(last))}"` : "at the top";
  };
  const tables = [...document.querySelectorAll("table")];
  const describe = (el) => {
    const cell = el.closest("td, th");
    const table = el.closest("table");
    if (cell && table) {
      const row = cell.parentElement;
      const rows = [...table.rows];
      const col = [...row.cells].indexOf(cell);
      const head = table.rows[0]?.cells[col];
      return `<${cell.tagName.toLowerCase()}> of table ${tables.indexOf(table) + 1} ${headingOf(table)}, row ${rows.indexOf(row) + 1}, column ${col + 1}${head && head !== cell ? ` ("${short(text(head))}")` : ""} [${cssPath(cell)}]`;
    }
    return `<${el.tagName.toLowerCase()}> ${headingOf(el)} "${short(text(el))}" [${cssPath(el)}]`;
  };

  // 1. Width: the document, then what sticks out or scrolls sideways.
  const docWidth = Math.max(document.documentElement.scrollWidth, document.body.scrollWidth);
  const all = [...document.body.querySelectorAll("*")];
  // What sticks out of the page, unless a box that scrolls or clips holds it.
  const clipped = (e) => {
    for (let a = e.parentElement; a && a !== document.body; a = a.parentElement) {
      if (getComputedStyle(a).overflowX !== "visible") return true;
    }
    return false;
  };
  const sticking = all.filter((e) => e.getBoundingClientRect().right > maxWidth + 0.5 && getComputedStyle(e).position !== "fixed" && !clipped(e));
  const leaves = sticking.filter((e) => !sticking.some((o) => o !== e && e.contains(o)));
  if (docWidth > maxWidth) {
    out.push(`page is ${docWidth} px wide, wider than ${maxWidth} px` + (leaves.length ? `; widest: ${leaves.slice(0, 3).map((e) => `${describe(e)} (right edge at ${Math.round(e.getBoundingClientRect().right)} px)`).join("; ")}` : ""));
  } else {
    for (const e of leaves.slice(0, 3)) out.push(`${describe(e)} sticks out of the ${maxWidth} px page (right edge at ${Math.round(e.getBoundingClientRect().right)} px)`);
  }
  for (const e of all) {
    const ox = getComputedStyle(e).overflowX;
    // A code block may scroll, as on GitHub; a table or a layout box may not.
    if ((ox === "auto" || ox === "scroll") && e.tagName !== "PRE" && e.scrollWidth > e.clientWidth + 1) {
      out.push(`${describe(e)} scrolls sideways: ${e.scrollWidth} px of content in ${e.clientWidth} px (wider than the ${maxWidth} px page allows)`);
    }
  }

  // 2. Dates, owners and flags in table cells that wrap.
  const esc = (s) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
  const patterns = [
    ["date", /\d{4}-\d{2}-\d{2}(?:[ T]\d{2}:\d{2}(?::\d{2})?Z?)?/g],
    ["flag", /(?<![\w-])--[a-zA-Z][\w-]*(?:=[^\s,;)|]*[^\s,;)|.])?/g],
    ["owner", new RegExp(`(?<![\\w-])(?:[a-z0-9][a-z0-9.-]*-team${owners.map((o) => "|" + esc(o)).join("")})(?![\\w-])`, "g")],
  ];
  const lines = (range) => {
    const tops = [];
    for (const r of range.getClientRects()) {
      if (r.width < 0.5) continue;
      if (!tops.some((t) => Math.abs(t - r.top) < 2)) tops.push(r.top);
    }
    return tops.length;
  };
  for (const cell of document.querySelectorAll("td, th")) {
    if (cell.getClientRects().length === 0) continue; // not displayed
    const seen = new Set();
    const walker = document.createTreeWalker(cell, NodeFilter.SHOW_TEXT);
    for (let n = walker.nextNode(); n; n = walker.nextNode()) {
      for (const [kind, re] of patterns) {
        re.lastIndex = 0;
        for (let m = re.exec(n.data); m; m = re.exec(n.data)) {
          const r = document.createRange();
          r.setStart(n, m.index);
          r.setEnd(n, m.index + m[0].length);
          const k = lines(r);
          if (k > 1 && !seen.has(kind + m[0])) {
            seen.add(kind + m[0]);
            out.push(`${kind} "${m[0]}" wraps onto ${k} lines in ${describe(cell)}`);
          }
        }
      }
    }
    // A cell of an "owner" column holds an owner whatever its name.
    const table = cell.closest("table");
    const col = [...cell.parentElement.cells].indexOf(cell);
    const head = table && table.rows[0]?.cells[col];
    if (cell.tagName === "TD" && head && /\bowners?\b/i.test(text(head)) && text(cell) && !/[\s,]/.test(text(cell))) {
      const r = document.createRange();
      r.selectNodeContents(cell);
      const k = lines(r);
      if (k > 1 && ![...seen].some((s) => s.startsWith("owner"))) out.push(`owner "${text(cell)}" wraps onto ${k} lines in ${describe(cell)}`);
    }
  }
  return out;
}

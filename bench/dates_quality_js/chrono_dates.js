// chrono-node as an expert user would run it on news: chrono.parse with the article's publication
// date as the reference, each result's interval from the components chrono is certain of (a day, a
// month or a year; a weekday names a day). Prints one JSON line per file, in find_dates' format.
// Usage: node chrono_dates.js MANIFEST FILE...
"use strict";
const fs = require("fs");
const path = require("path");
const chrono = require("chrono-node");

const [manifestPath, ...files] = process.argv.slice(2);
const manifest = JSON.parse(fs.readFileSync(manifestPath, "utf8"));

const pad = (n, w = 2) => String(n).padStart(w, "0");
const iso = (y, m, d) => `${pad(y, 4)}-${pad(m)}-${pad(d)}`;
const monthEnd = (y, m) => new Date(Date.UTC(y, m, 0)).getUTCDate();

function interval(c) {
  const y = c.get("year"), m = c.get("month"), d = c.get("day");
  if (c.isCertain("day") || c.isCertain("weekday")) return [iso(y, m, d), iso(y, m, d)];
  if (c.isCertain("month")) return [iso(y, m, 1), iso(y, m, monthEnd(y, m))];
  if (c.isCertain("year")) return [iso(y, 1, 1), iso(y, 12, 31)];
  return [iso(y, m, d), iso(y, m, d)]; // "today", "tomorrow": chrono implies the day
}

for (const file of files) {
  const raw = fs.readFileSync(file, "utf8").replace(/^\uFEFF/, "").replace(/\r\n?/g, "\n");
  const published = (manifest[path.basename(file)] || {}).published;
  const [py, pm, pd] = published.split("-").map(Number);
  const ref = new Date(py, pm - 1, pd, 12);
  const cp = (i) => Array.from(raw.slice(0, i)).length; // UTF-16 index -> code point offset
  const dates = [];
  for (const r of chrono.parse(raw, ref, { forwardDate: false })) {
    const [earliest] = interval(r.start);
    const latest = r.end ? interval(r.end)[1] : interval(r.start)[1];
    const start = cp(r.index);
    dates.push({ text: r.text, start, end: start + Array.from(r.text).length, earliest, latest });
  }
  process.stdout.write(JSON.stringify({ file, dates, unresolved: [] }) + "\n");
}

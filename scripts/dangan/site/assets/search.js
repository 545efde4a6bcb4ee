/* 干部搜索：在页首的搜索框中输入姓名、编号（带不带 C 都行）、单位或职务，先列出干部，再列出使用手册（Material 自带的搜索；直接打开文件时由本脚本搜索 assets/dangan/manual.js）。
   索引是本站自带的小文件（assets/dangan/people/，由 scripts/dangan/site/people.py 生成），按需读取、读过的不再读；
   通过网址打开时读 .json，直接打开文件（file://）时读同名的 .js（浏览器不许读文件，但许运行本站的脚本）；
   不访问其他网站。档案中的文字一律用 textContent 显示，不当作 HTML。 */
(function () {
  "use strict";
  var script = document.currentScript;
  if (!script) return;
  var DIR = new URL("people/", script.src);
  var ROOT = new URL("../../", script.src);
  var SHOW = 50;       // text hits listed at most
  var MAX_CHUNKS = 3;  // record files read for one query at most
  var INVISIBLE = /[\s\u00ad\u180e\u200b-\u200f\u2028-\u202e\u2060-\u2064\ufeff]+/g;
  var NUMBER = /^([a-z]*)0*(\d+)$/;
  var SEP = "\u0001";
  var FROM_DISK = window.location.protocol === "file:";
  var PAGE = FROM_DISK ? "index.html" : "";  // from disk a folder is not its page
  var files = {};
  var manifest = null;

  function norm(s) { return String(s).normalize("NFKC").replace(INVISIBLE, "").toLowerCase(); }
  function chars(s) { return Array.from(s); }
  function fnv(s) {
    var h = 2166136261;
    chars(s).forEach(function (c) { h = Math.imul(h ^ c.codePointAt(0), 16777619) >>> 0; });
    return h;
  }
  /* a data file: fetched as JSON from a web server; opened from disk (file://, where fetch is refused) its
     script twin name.js is run instead, which puts the same value into window.DANGAN_DATA["people/" + name] */
  function read(name) {
    if (window.location.protocol !== "file:" && window.fetch) {
      return fetch(new URL(name + ".json", DIR)).then(function (r) {
        if (!r.ok) throw new Error(name + ": " + r.status);
        return r.json();
      });
    }
    return run(new URL(name + ".js", DIR), "people/" + name);
  }
  /* a data script's value: run it once, take its value out of the registry */
  function run(url, key) {
    return new Promise(function (resolve, reject) {
      var s = document.createElement("script");
      var done = function (ok) {
        var data = window.DANGAN_DATA || {}, value = data[key];
        delete data[key];
        s.remove();
        if (ok && value !== undefined) resolve(value); else reject(new Error(key));
      };
      s.addEventListener("load", function () { done(true); });
      s.addEventListener("error", function () { done(false); });
      s.src = url.href;
      document.head.appendChild(s);
    });
  }
  function load(name) {
    if (!files[name]) files[name] = read(name).catch(function (e) { delete files[name]; throw e; });
    return files[name];
  }
  function index() { return manifest || (manifest = load("index")); }

  /* ---------------------------------------------------------------- the manual, opened from disk
     Material's search needs a worker, which a page opened from disk cannot start: the manual's sections
     (assets/dangan/manual.js, written after the build from Material's own index) are searched here instead,
     every word as a substring; sections whose title holds the words first. */
  var MANUAL_SHOWN = 10;
  var manualSections = null;
  function manualIndex() {
    if (!manualSections) {
      manualSections = run(new URL("manual.js", script.src), "manual").then(function (docs) {
        return docs.map(function (d) { return { href: d[0], title: d[1], text: d[2], hay: norm(d[1]) + SEP + norm(d[2]) }; });
      }).catch(function (e) { manualSections = null; throw e; });
    }
    return manualSections;
  }
  function manualSearch(raw) {
    var words = raw.trim().split(/\s+/).map(norm).filter(Boolean);
    if (!words.length || chars(words.join("")).length < 2) return Promise.resolve(null);
    return manualIndex().then(function (docs) {
      var hits = docs.filter(function (d) { return words.every(function (w) { return d.hay.indexOf(w) >= 0; }); });
      var inTitle = function (d) { var t = norm(d.title); return words.every(function (w) { return t.indexOf(w) >= 0; }) ? 0 : 1; };
      hits.sort(function (a, b) { return inTitle(a) - inTitle(b); });  // stable: the manual's order otherwise
      return { words: words, hits: hits.slice(0, MANUAL_SHOWN), total: hits.length };
    });
  }
  function excerpt(text, word) {  // about 60 characters around the first hit, found in the normalised text
    var cs = chars(text), flat = "", at = [];
    cs.forEach(function (c, i) { var n = norm(c); flat += n; for (var k = 0; k < n.length; k++) at.push(i); });
    var hit = flat.indexOf(word), from = hit < 0 ? 0 : Math.max(0, at[hit] - 20);
    return (from ? "……" : "") + cs.slice(from, from + 60).join("") + (from + 60 < cs.length ? "……" : "");
  }
  function manualHref(location) {  // "manual/check/#用法" → manual/check/index.html#用法 from disk
    var hash = location.indexOf("#"), path = hash < 0 ? location : location.slice(0, hash);
    var frag = hash < 0 ? "" : location.slice(hash);
    if (path === "" || path.slice(-1) === "/") path += PAGE;
    return new URL(path + frag, ROOT).href;
  }
  function renderManual(found) {
    var old = panel.querySelector("[data-dangan=manual]");
    if (old) old.remove();
    if (!found) return;
    var box = el("div", "dangan-manual");
    box.setAttribute("data-dangan", "manual");
    box.setAttribute("data-count", String(found.total));
    box.appendChild(el("div", "dangan-people__meta", found.total
      ? "使用手册：" + found.total + " 处" + (found.total > found.hits.length ? "（列出前 " + found.hits.length + " 处）" : "")
      : "使用手册中没有找到这几个字"));
    var list = el("ol", "dangan-manual__list");
    found.hits.forEach(function (d) {
      var li = el("li", "dangan-manual__hit"), a = el("a");
      a.href = manualHref(d.href);
      a.appendChild(el("strong", null, d.title || "使用手册"));
      a.appendChild(el("span", "dangan-manual__text", excerpt(d.text, found.words[0])));
      li.appendChild(a);
      list.appendChild(li);
    });
    box.appendChild(list);
    panel.appendChild(box);
  }

  function haystack(r) { return r.slice(1).map(norm).join(SEP); }
  function hasAll(r, words) { var h = haystack(r); return words.every(function (w) { return h.indexOf(w) >= 0; }); }

  function byNumber(m, q) {
    var match = NUMBER.exec(q);
    var file = match ? "id-" + Math.floor(Number(match[2]) / m.number) : "id-x";
    return load(file).then(function (rs) {
      return rs.filter(function (r) {
        var n = norm(r[0]);
        if (n === q) return true;
        var x = NUMBER.exec(n);
        return match && x && x[2] === match[2] && (!match[1] || match[1] === x[1]);
      });
    }, function () { return []; });
  }

  function byName(m, name) {
    if (chars(name).length < 2) return Promise.resolve({ exact: [], prefix: [] });
    var key = chars(name).slice(0, 2).join("");
    return load("n-" + (fnv(key) % m.names)).then(function (rs) {
      var exact = [], prefix = [];
      rs.forEach(function (r) {
        var n = norm(r[1]);
        if (n === name) exact.push(r);
        else if (n.indexOf(name) === 0) prefix.push(r);
      });
      return { exact: exact, prefix: prefix };
    }, function () { return { exact: [], prefix: [] }; });
  }

  function decode(runs) {  // [gap, length, …] → [[start, end), …]
    var out = [], end = 0;
    for (var i = 0; i + 1 < runs.length; i += 2) {
      var start = end + runs[i];
      end = start + runs[i + 1];
      out.push([start, end]);
    }
    return out;
  }
  function intersect(a, b) {
    var out = [], i = 0, j = 0;
    while (i < a.length && j < b.length) {
      var s = Math.max(a[i][0], b[j][0]), e = Math.min(a[i][1], b[j][1]);
      if (s < e) out.push([s, e]);
      if (a[i][1] < b[j][1]) i++; else j++;
    }
    return out;
  }
  function pieces(word) {  // a few bigrams that cover the word: first, last, and every other one between
    var cs = chars(word), out = [];
    for (var i = 0; i + 1 < cs.length; i += 2) out.push(cs[i] + cs[i + 1]);
    if (cs.length % 2 === 1 && cs.length > 1) out.push(cs[cs.length - 2] + cs[cs.length - 1]);
    if (out.length > 4) out = [out[0], out[Math.floor(out.length / 3)], out[Math.floor(2 * out.length / 3)], out[out.length - 1]];
    return out;
  }

  function byText(m, words) {
    var grams = [];
    words.forEach(function (w) { pieces(w).forEach(function (g) { if (grams.indexOf(g) < 0) grams.push(g); }); });
    if (!grams.length) return Promise.resolve({ hits: [], more: 0 });
    return Promise.all(grams.map(function (g) {
      return load("t-" + (fnv(g) % m.text)).then(function (shard) { return decode(shard[g] || []); });
    })).then(function (lists) {
      var ranges = lists.reduce(intersect);
      var ids = new Set(), chunks = [];
      ranges.forEach(function (r) {
        for (var i = r[0]; i < r[1]; i++) {
          ids.add(i);
          var c = Math.floor(i / m.chunk);
          if (chunks[chunks.length - 1] !== c) chunks.push(c);
        }
      });
      var read = chunks.slice(0, MAX_CHUNKS);
      return Promise.all(read.map(function (c) { return load("r-" + c); })).then(function (got) {
        var hits = [], seen = 0;
        read.forEach(function (c, k) {
          got[k].forEach(function (r, j) {
            var id = c * m.chunk + j;
            if (ids.has(id)) { seen++; if (hasAll(r, words)) hits.push(r); }
          });
        });
        return { hits: hits.slice(0, SHOW), more: Math.max(0, hits.length - SHOW) + (ids.size - seen) };
      });
    });
  }

  /* ---------------------------------------------------------------- what the user sees */
  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text !== undefined) e.textContent = text;
    return e;
  }
  function person(r) {
    var li = el("li", "dangan-person");
    var a = el("a");
    a.href = new URL("dossier/" + encodeURIComponent(r[0]) + "/" + PAGE, ROOT).href;
    a.appendChild(el("span", "dangan-person__id", r[0]));
    a.appendChild(document.createTextNode(" "));
    a.appendChild(el("strong", "dangan-person__name", r[1] || "（未填写姓名）"));
    var line = [r[2], r[3]].filter(Boolean).join(" · ");
    if (line) a.appendChild(el("span", "dangan-person__line", line));
    li.appendChild(a);
    return li;
  }
  function groups(list, rs) {  // people of the same name together, each group headed by the name and count
    var by = {}, order = [];
    rs.forEach(function (r) {
      if (!by[r[1]]) { by[r[1]] = []; order.push(r[1]); }
      by[r[1]].push(r);
    });
    order.forEach(function (name) {
      var g = by[name];
      g.sort(function (a, b) { return a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0; });
      if (g.length > 1) list.appendChild(el("li", "dangan-people__group", name + "（" + g.length + " 人同名）"));
      g.forEach(function (r) { list.appendChild(person(r)); });
    });
  }

  var panel = null, input = null, serial = 0;

  function render(query, found) {
    panel.textContent = "";
    panel.hidden = false;
    var total = found.people.length + found.units.length;
    var meta = el("div", "dangan-people__meta");
    panel.appendChild(meta);
    if (found.hint) { meta.textContent = found.hint; return; }
    if (!total) {
      meta.textContent = "没有找到“" + query + "”：没有这个姓名、编号的干部，单位和职务中也没有这几个字";
      panel.setAttribute("data-count", "0");
      return;
    }
    panel.setAttribute("data-count", String(found.people.length));
    meta.textContent = "干部档案：" + found.people.length + " 人" +
      (found.more ? "（另有 " + found.more + " 人未列出，请输入更完整的姓名、单位或职务）" : "");
    if (found.units.length) {
      var ul = el("ul", "dangan-people__units");
      found.units.forEach(function (u) {
        var li = el("li"), a = el("a", null, u[0] + "（" + u[2] + " 人）");
        a.href = new URL("roster/unit-" + u[1] + "/" + PAGE, ROOT).href;
        li.appendChild(el("span", "dangan-people__label", "花名册："));
        li.appendChild(a);
        ul.appendChild(li);
      });
      panel.appendChild(ul);
    }
    var list = el("ol", "dangan-people__list");
    groups(list, found.exact);
    groups(list, found.prefix);
    found.text.forEach(function (r) { list.appendChild(person(r)); });
    panel.appendChild(list);
  }

  function search(raw) {
    var words = raw.trim().split(/\s+/).map(norm).filter(Boolean);
    if (!words.length) return Promise.resolve(null);
    return index().then(function (m) {
      var first = words[0], rest = words.slice(1);
      if (words.length === 1 && /^[a-z]*\d+$/.test(first)) {
        return byNumber(m, first).then(function (rs) {
          return { exact: rs, prefix: [], text: [], units: [], people: rs, more: 0 };
        });
      }
      var units = m.units.filter(function (u) {
        var n = norm(u[0]);
        return words.every(function (w) { return n.indexOf(w) >= 0; });
      });
      if (chars(words.join("")).length < 2) {
        return { hint: "请至少输入两个字：姓名、编号、单位或职务", people: [], units: [] };
      }
      return byName(m, first).then(function (named) {
        var keep = function (r) { return hasAll(r, rest); };
        var exact = named.exact.filter(keep), prefix = named.prefix.filter(keep);
        var done = exact.length ? Promise.resolve({ hits: [], more: 0 }) : byText(m, words);
        return done.then(function (t) {
          var seen = {};
          exact.concat(prefix).forEach(function (r) { seen[r[0]] = true; });
          var text = t.hits.filter(function (r) { return !seen[r[0]]; });
          return { exact: exact, prefix: prefix, text: text, units: units,
                   people: exact.concat(prefix, text), more: t.more };
        });
      });
    });
  }

  function update() {
    var query = input.value;
    var mine = ++serial;
    if (!query.trim()) { panel.hidden = true; panel.textContent = ""; return; }
    search(query).then(function (found) {
      if (mine !== serial) return;
      if (!found) { panel.hidden = true; return; }
      render(query.trim(), found);
      if (!FROM_DISK) { panel.setAttribute("data-query", query); return; }
      return manualSearch(query).then(function (m) {
        if (mine !== serial) return;
        renderManual(m);
        panel.setAttribute("data-query", query);
      });
    }).then(null, function () {
      if (mine !== serial) return;
      panel.hidden = false;
      panel.textContent = "";
      panel.appendChild(el("div", "dangan-people__meta", "搜索索引读取失败，请刷新页面再试（站点文件夹 assets/dangan/ 是否完整？）"));
      panel.setAttribute("data-query", query);
    });
  }

  function setup() {
    input = document.querySelector(".md-search__input");
    var wrap = document.querySelector(".md-search__scrollwrap");
    if (!input || !wrap) return;
    panel = el("div", "dangan-people");
    panel.setAttribute("data-dangan", "people");
    panel.setAttribute("aria-live", "polite");
    panel.hidden = true;
    wrap.insertBefore(panel, wrap.firstChild);
    if (window.location.protocol === "file:") {
      /* opened from disk Material cannot start its search (a worker needs a web server) and hides the box:
         show it again: ours finds people and searches the manual (manualSearch) */
      var box = input.closest(".md-search");
      var show = function () { if (box && box.hidden) box.hidden = false; };
      show();
      if (box) new MutationObserver(show).observe(box, { attributes: true, attributeFilter: ["hidden"] });
    }
    var timer = null;
    var later = function () { clearTimeout(timer); timer = setTimeout(update, 80); };
    input.addEventListener("input", later);
    input.addEventListener("keyup", later);
    window.addEventListener("keydown", function (e) {  // Enter opens the first person found
      if (e.key !== "Enter" || e.target !== input) return;
      var first = panel.querySelector(".dangan-person a");
      if (!first || panel.hidden) return;
      e.preventDefault();
      e.stopPropagation();
      window.location.href = first.href;
    }, true);
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", setup);
  else setup();
})();

/* 审核、任前审核等表格：点表头排序（再点一次倒序），筛选框只显示含有所输入文字的行；超过 100 行的分页显示
   （其余的行隐藏，不参与排版）。花名册另用 roster.js（数据文件，5 万人也快）。
   本站自带的脚本，不访问网络，不用 innerHTML（页面中的档案内容始终是文字）。 */
(function () {
  "use strict";
  var collator = new Intl.Collator("zh-CN", { numeric: true });
  var PAGE = 100;

  /* the rows that pass the filter (all when none), one page of them shown, the others hidden */
  function paginate(table, page) {
    var state = table._dangan;
    var matched = Array.prototype.filter.call(table.tBodies[0].rows, function (r) { return !r._danganOut; });
    var pages = Math.max(1, Math.ceil(matched.length / PAGE));
    state.page = Math.max(0, Math.min(pages - 1, page));
    var start = state.page * PAGE, end = start + PAGE;
    Array.prototype.forEach.call(table.tBodies[0].rows, function (r) { r.hidden = true; });
    matched.forEach(function (r, i) { r.hidden = i < start || i >= end; });
    if (state.pager) {
      state.pager.hidden = matched.length <= PAGE;
      state.where.textContent = "第 " + (state.page + 1) + " / " + pages + " 页（" + matched.length + " 行）";
      state.prev.disabled = state.page === 0;
      state.next.disabled = state.page >= pages - 1;
    }
  }

  function addPager(table) {
    var state = table._dangan;
    var bar = document.createElement("div");
    bar.className = "dangan-pager";
    var prev = document.createElement("button"), next = document.createElement("button");
    var where = document.createElement("span");
    where.className = "dangan-pager__where";
    prev.type = next.type = "button";
    prev.textContent = "上一页";
    next.textContent = "下一页";
    prev.addEventListener("click", function () { paginate(table, state.page - 1); });
    next.addEventListener("click", function () { paginate(table, state.page + 1); });
    bar.appendChild(prev);
    bar.appendChild(where);
    bar.appendChild(next);
    table.parentNode.insertBefore(bar, table.nextSibling);
    state.pager = bar;
    state.where = where;
    state.prev = prev;
    state.next = next;
  }

  function key(row, col) {
    var td = row.cells[col];
    if (!td) return "";
    var v = td.getAttribute("data-sort");
    return v === null ? td.textContent.trim() : v;
  }

  function numeric(values) {
    return values.every(function (v) { return v === "" || !isNaN(Number(v)); });
  }

  function sortBy(table, col, th) {
    var body = table.tBodies[0];
    var rows = Array.prototype.slice.call(body.rows);
    var ascending = th.getAttribute("aria-sort") !== "ascending";
    var keys = rows.map(function (r) { return key(r, col); });
    var asNumber = numeric(keys);
    var order = rows.map(function (r, i) { return i; });
    order.sort(function (a, b) {
      var x = keys[a], y = keys[b], c;
      if (asNumber) c = (x === "" ? -Infinity : Number(x)) - (y === "" ? -Infinity : Number(y));
      else c = collator.compare(x, y);
      if (c === 0) c = a - b;
      return ascending ? c : -c;
    });
    var fragment = document.createDocumentFragment();
    order.forEach(function (i) { fragment.appendChild(rows[i]); });
    body.appendChild(fragment);
    if (table._dangan.paged) paginate(table, 0);
    Array.prototype.forEach.call(table.tHead.rows[0].cells, function (h) { h.removeAttribute("aria-sort"); });
    th.setAttribute("aria-sort", ascending ? "ascending" : "descending");
  }

  function addFilter(table) {
    var box = document.createElement("input");
    box.type = "search";
    box.className = "dangan-filter";
    box.placeholder = "筛选：输入姓名、单位、职务等任意文字";
    box.setAttribute("aria-label", "筛选表格");
    var count = document.createElement("span");
    count.className = "dangan-count";
    var total = table.tBodies[0].rows.length;
    count.textContent = "共 " + total + " 行";
    box.addEventListener("input", function () {
      var words = box.value.trim().split(/\s+/).filter(Boolean);
      var shown = 0;
      Array.prototype.forEach.call(table.tBodies[0].rows, function (row) {
        var t = row.textContent;
        var ok = words.every(function (w) { return t.indexOf(w) >= 0; });
        row._danganOut = !ok;
        row.hidden = !ok;
        if (ok) shown += 1;
      });
      if (table._dangan.paged) paginate(table, 0);
      count.textContent = words.length ? "显示 " + shown + " / " + total + " 行" : "共 " + total + " 行";
    });
    var bar = document.createElement("div");
    bar.className = "dangan-filterbar";
    bar.appendChild(box);
    bar.appendChild(count);
    table.parentNode.insertBefore(bar, table);
  }

  function setup() {
    Array.prototype.forEach.call(document.querySelectorAll("table.dangan-sortable"), function (table) {
      if (table.getAttribute("data-ready")) return;
      table.setAttribute("data-ready", "1");
      table._dangan = { page: 0, paged: table.tBodies[0].rows.length > PAGE };
      if (table.getAttribute("data-filter")) addFilter(table);
      if (table._dangan.paged) { addPager(table); paginate(table, 0); }
      Array.prototype.forEach.call(table.tHead.rows[0].cells, function (th, col) {
        th.tabIndex = 0;
        th.setAttribute("role", "button");
        th.title = "点击排序";
        th.addEventListener("click", function () { sortBy(table, col, th); });
        th.addEventListener("keydown", function (e) {
          if (e.key === "Enter" || e.key === " ") { e.preventDefault(); sortBy(table, col, th); }
        });
      });
    });
  }

  /* opened from disk (file://) a link to a page's folder ("roster/") would show the folder: point it at its index.html */
  function fileLinks() {
    if (window.location.protocol !== "file:") return;
    Array.prototype.forEach.call(document.querySelectorAll("a[href]"), function (a) {
      var url = new URL(a.getAttribute("href"), window.location.href);
      if (url.protocol === "file:" && /\/$/.test(url.pathname)) {
        url.pathname += "index.html";
        a.setAttribute("href", url.href);  // also an SVG <a> (its href property is read-only)
      }
    });
  }

  function start() { fileLinks(); setup(); }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();

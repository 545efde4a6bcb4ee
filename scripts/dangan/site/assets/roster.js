/* 花名册：翻页、排序、筛选。页面只带前 100 行；全部人员读自旁边的数据文件（roster/people.json 等；
   直接打开文件（file://）时读同名的 .js，内容相同），
   排序和筛选在数组上完成，每次只排出当前一页的行，5 万人也不卡。本站自带的脚本，不访问其他网站，
   档案中的文字一律用 textContent 显示。 */
(function () {
  "use strict";
  var collator = new Intl.Collator("zh-CN", { numeric: true });
  var SIZES = [50, 100, 200, 500];
  var NAME = 0;  // 姓名: links to the dossier, sorts by the roster order (姓氏笔画)
  var NUMBER = 1;  // 编号: the dossier page's address
  var PAGE = window.location.protocol === "file:" ? "index.html" : "";  // from disk a folder is not its page

  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text !== undefined) e.textContent = text;
    return e;
  }
  function norm(s) { return String(s).normalize("NFKC").toLowerCase(); }

  /* the data file: fetched as JSON from a web server; opened from disk (file://, where fetch is refused) its
     script twin (.js instead of .json) is run, which puts the same value into window.DANGAN_DATA[key] */
  function read(url, key) {
    if (window.location.protocol !== "file:" && window.fetch) {
      return fetch(url).then(function (r) {
        if (!r.ok) throw new Error(String(r.status));
        return r.json();
      });
    }
    return new Promise(function (resolve, reject) {
      var s = document.createElement("script");
      var done = function (ok) {
        var data = window.DANGAN_DATA || {}, value = data[key];
        delete data[key];
        s.remove();
        if (ok && key && value !== undefined) resolve(value); else reject(new Error(key));
      };
      s.addEventListener("load", function () { done(true); });
      s.addEventListener("error", function () { done(false); });
      s.src = url.href.replace(/\.json$/, ".js");
      document.head.appendChild(s);
    });
  }

  function Roster(table) {
    this.table = table;
    this.prefix = table.getAttribute("data-prefix") || "";
    this.size = Number(table.getAttribute("data-page")) || 100;
    this.page = 0;
    this.sortCol = NAME;
    this.ascending = true;
    this.words = [];
    this.orders = {};
    this.ranks = {};
  }

  Roster.prototype.load = function () {
    var self = this;
    var url = new URL(this.table.getAttribute("data-roster"), window.location.href);
    this.controls();
    return read(url, this.table.getAttribute("data-key")).then(function (data) { self.ready(data); }, function () {
      self.count.textContent = "无法读取花名册数据（站点文件夹中的 roster/ 是否完整？），下面只有前 " +
        self.table.tBodies[0].rows.length + " 行";
    });
  };

  Roster.prototype.controls = function () {
    var self = this;
    var bar = el("div", "dangan-filterbar");
    this.box = el("input", "dangan-filter");
    this.box.type = "search";
    this.box.placeholder = "筛选：姓名、编号、单位、职务等任意文字";
    this.box.setAttribute("aria-label", "筛选花名册");
    this.box.disabled = true;
    this.count = el("span", "dangan-count", "正在读取花名册……");
    bar.appendChild(this.box);
    bar.appendChild(this.count);
    this.table.parentNode.insertBefore(bar, this.table);
    var timer = null;
    this.box.addEventListener("input", function () {
      clearTimeout(timer);
      timer = setTimeout(function () { self.filter(self.box.value); }, 60);
    });
    this.pagers = [this.pager(), this.pager()];
    this.table.parentNode.insertBefore(this.pagers[0].root, this.table);
    this.table.parentNode.insertBefore(this.pagers[1].root, this.table.nextSibling);
  };

  Roster.prototype.pager = function () {
    var self = this;
    var root = el("div", "dangan-pager");
    root.hidden = true;
    var first = el("button", null, "首页"), prev = el("button", null, "上一页");
    var next = el("button", null, "下一页"), last = el("button", null, "末页");
    var where = el("span", "dangan-pager__where");
    var size = el("select");
    size.setAttribute("aria-label", "每页行数");
    SIZES.forEach(function (n) {
      var o = el("option", null, "每页 " + n + " 行");
      o.value = String(n);
      size.appendChild(o);
    });
    [first, prev, next, last].forEach(function (b) { b.type = "button"; });
    first.addEventListener("click", function () { self.go(0); });
    prev.addEventListener("click", function () { self.go(self.page - 1); });
    next.addEventListener("click", function () { self.go(self.page + 1); });
    last.addEventListener("click", function () { self.go(Infinity); });
    size.addEventListener("change", function () {
      var top = self.page * self.size;
      self.size = Number(size.value);
      self.go(Math.floor(top / self.size));
    });
    [first, prev, where, next, last, size].forEach(function (e) { root.appendChild(e); });
    return { root: root, first: first, prev: prev, next: next, last: last, where: where, size: size };
  };

  Roster.prototype.ready = function (data) {
    var self = this;
    this.head = data.head;
    this.rows = data.rows;
    Object.keys(data.shared || {}).forEach(function (c) {  // values written once, rows hold their index
      var values = data.shared[c], col = Number(c), rows = data.rows;
      for (var i = 0; i < rows.length; i++) rows[i][col] = values[rows[i][col]];
    });
    this.keyed = {};
    data.keyed.forEach(function (col, i) { self.keyed[col] = data.head.length + i; });
    this.shown = this.order(NAME, true);
    var note = this.table.parentNode.querySelector(".dangan-roster-note");
    if (note) note.hidden = true;
    Array.prototype.forEach.call(this.table.tHead.rows[0].cells, function (th, col) {
      th.tabIndex = 0;
      th.setAttribute("role", "button");
      th.title = "点击排序（再点一次倒序）";
      th.addEventListener("click", function () { self.sort(col); });
      th.addEventListener("keydown", function (e) {
        if (e.key === "Enter" || e.key === " ") { e.preventDefault(); self.sort(col); }
      });
    });
    this.table.tHead.rows[0].cells[NAME].setAttribute("aria-sort", "ascending");
    this.box.disabled = false;
    this.render();
    this.table.setAttribute("data-ready", String(Math.round(performance.now())));
  };

  /* the rows in the order of one column: an index array, computed once per column and direction */
  Roster.prototype.order = function (col, ascending) {
    var id = col + (ascending ? "+" : "-");
    if (this.orders[id]) return this.orders[id];
    var n = this.rows.length, out = new Array(n), i;
    for (i = 0; i < n; i++) out[i] = i;
    if (col !== NAME) {
      var keys = this.keys(col), sign = ascending ? 1 : -1;
      out.sort(function (a, b) {
        var x = keys[a], y = keys[b];
        if (x !== y) {
          if (x === null) return 1;   // blanks last, whichever the direction
          if (y === null) return -1;
          return sign * (x - y);
        }
        return a - b;  // equal: in roster order
      });
    } else if (!ascending) {
      out.reverse();
    }
    this.orders[id] = out;
    return out;
  };

  /* one number per row (null: blank): the key written by the build, or the rank of the text among its distinct values */
  Roster.prototype.keys = function (col) {
    if (this.ranks[col]) return this.ranks[col];
    var rows = this.rows, n = rows.length, out = new Array(n), i;
    if (this.keyed[col] !== undefined) {
      var k = this.keyed[col];
      for (i = 0; i < n; i++) out[i] = rows[i][k] === null || rows[i][k] === undefined ? null : rows[i][k];
    } else {
      var distinct = {}, values = [];
      for (i = 0; i < n; i++) {
        var v = rows[i][col];
        if (v !== "" && !Object.prototype.hasOwnProperty.call(distinct, v)) { distinct[v] = 0; values.push(v); }
      }
      values.sort(collator.compare);
      values.forEach(function (v, r) { distinct[v] = r; });
      for (i = 0; i < n; i++) out[i] = rows[i][col] === "" ? null : distinct[rows[i][col]];
    }
    this.ranks[col] = out;
    return out;
  };

  Roster.prototype.sort = function (col) {
    if (!this.rows) return;
    this.ascending = col === this.sortCol ? !this.ascending : true;
    this.sortCol = col;
    Array.prototype.forEach.call(this.table.tHead.rows[0].cells, function (h) { h.removeAttribute("aria-sort"); });
    this.table.tHead.rows[0].cells[col].setAttribute("aria-sort", this.ascending ? "ascending" : "descending");
    this.apply();
    this.go(0);
  };

  Roster.prototype.filter = function (value) {
    if (!this.rows) return;
    this.words = value.trim().split(/\s+/).map(norm).filter(Boolean);
    this.apply();
    this.go(0);
  };

  Roster.prototype.apply = function () {
    var order = this.order(this.sortCol, this.ascending), words = this.words;
    if (!words.length) { this.shown = order; return; }
    if (!this.text) {
      var width = this.head.length;
      this.text = this.rows.map(function (r) { return norm(r.slice(0, width).join("\u0001")); });
    }
    var text = this.text;
    this.shown = order.filter(function (i) {
      var t = text[i];
      for (var w = 0; w < words.length; w++) if (t.indexOf(words[w]) < 0) return false;
      return true;
    });
  };

  Roster.prototype.go = function (page) {
    var pages = Math.max(1, Math.ceil(this.shown.length / this.size));
    this.page = Math.max(0, Math.min(pages - 1, page));
    this.render();
  };

  Roster.prototype.render = function () {
    var self = this, shown = this.shown, total = this.rows.length;
    var start = this.page * this.size, end = Math.min(shown.length, start + this.size);
    var body = document.createDocumentFragment();
    for (var p = start; p < end; p++) body.appendChild(this.tr(this.rows[shown[p]]));
    var tbody = this.table.tBodies[0];
    tbody.textContent = "";
    tbody.appendChild(body);
    var pages = Math.max(1, Math.ceil(shown.length / this.size));
    this.count.textContent = (this.words.length ? "筛选出 " + shown.length + " / " + total + " 人" : "共 " + total + " 人") +
      (shown.length ? "，第 " + (start + 1) + "–" + end + " 人" : "");
    this.pagers.forEach(function (g) {
      g.root.hidden = shown.length <= SIZES[0] && self.size >= shown.length;
      g.where.textContent = "第 " + (self.page + 1) + " / " + pages + " 页";
      g.first.disabled = g.prev.disabled = self.page === 0;
      g.next.disabled = g.last.disabled = self.page >= pages - 1;
      g.size.value = String(self.size);
    });
  };

  Roster.prototype.tr = function (r) {
    var tr = document.createElement("tr");
    for (var c = 0; c < this.head.length; c++) {
      var td = document.createElement("td");
      if (c === NAME) {
        var a = el("a", null, r[c]);
        a.href = this.prefix + "dossier/" + encodeURIComponent(r[NUMBER]) + "/" + PAGE;
        td.appendChild(a);
      } else {
        td.textContent = r[c];
      }
      if (this.keyed[c] !== undefined) td.setAttribute("data-sort", r[this.keyed[c]] === null ? "" : String(r[this.keyed[c]]));
      tr.appendChild(td);
    }
    return tr;
  };

  function setup() {
    Array.prototype.forEach.call(document.querySelectorAll("table.dangan-roster[data-roster]"), function (table) {
      if (table.getAttribute("data-setup")) return;
      table.setAttribute("data-setup", "1");
      new Roster(table).load();
    });
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", setup);
  else setup();
})();

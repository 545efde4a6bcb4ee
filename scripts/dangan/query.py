"""`dangan query EXPR`: a small condition language over the dossiers.

Grammar (documented in docs/manual/query.md)::

    条件   := 或式
    或式   := 与式 { ("or" | "或") 与式 }
    与式   := 非式 { ("and" | "且") 非式 }
    非式   := ("not" | "非") 非式 | "(" 条件 ")" | 比较
    比较   := 字段 运算符 值          运算符: = != < <= > >= ~（包含）
    值     := 不含空格和括号的文字 | "带空格的文字" | '带空格的文字'

A mistake raises QueryError with the column it was found at, so the message can put a caret under it.
Ages are computed as of an injected day. 身份证号 and 家庭成员 are never queryable nor shown.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import re
from collections.abc import Callable
from dataclasses import dataclass

from . import career
from .codes import CodeTables
from .dates import month_index
from .errors import UsageError
from .stats import age, highest_education
from .textable import csv_rows, table_text, width

OPS = ("<=", ">=", "!=", "=", "<", ">", "~")
MAX_LENGTH = 2000  # characters: a real condition is a line; a longer one is a mistake or an attack
MAX_DEPTH = 32  # nested "(" and "not": far past any real condition, well inside Python's recursion limit
WORDS = {"and": "and", "且": "and", "or": "or", "或": "or", "not": "not", "非": "not"}
FORBIDDEN = ("身份证号", "家庭成员")
DEFAULT_COLUMNS = ("编号", "姓名", "性别", "年龄", "学历", "管档单位", "现任职务", "职级")


class QueryError(UsageError):
    """A condition that does not parse; the message puts a caret under the column (exit 2)."""

    def __init__(self, problem: str, expr: str, col: int, what: str = "查询条件"):
        self.problem, self.expr, self.col, self.what = problem, expr, col, what  # col: 0-based character index
        super().__init__(self.pretty())

    def pretty(self) -> str:
        """The message, the expression, and a caret under the column (CJK characters are two columns wide)."""
        pad = " " * width(self.expr[:self.col])
        return f"{self.what}第 {self.col + 1} 个字符处：{self.problem}\n  {self.expr}\n  {pad}^"


@dataclass(frozen=True)
class Token:
    kind: str  # word | op | ( | ) | end
    text: str
    col: int
    quoted: bool = False


_SPACE = re.compile(r"\s+")
_WORD = re.compile(r"""[^\s()（）<>=!~"'“”‘’]+""")


def tokenize(expr: str) -> list[Token]:
    out, i = [], 0
    while i < len(expr):
        m = _SPACE.match(expr, i)
        if m:
            i = m.end()
            continue
        ch = expr[i]
        if ch in "()（）":
            out.append(Token("(" if ch in "(（" else ")", ch, i))
            i += 1
            continue
        op = next((o for o in OPS if expr.startswith(o, i)), None)
        if op:
            out.append(Token("op", op, i))
            i += len(op)
            continue
        if ch == "!":
            raise QueryError("“!”后面应是“=”（不等于写作 !=）", expr, i)
        if ch in "\"'“”‘’":
            close = {"“": "”", "‘": "’"}.get(ch, ch)
            end = expr.find(close, i + 1)
            if end < 0:
                raise QueryError("引号没有配对", expr, i)
            out.append(Token("word", expr[i + 1:end], i, True))
            i = end + 1
            continue
        m = _WORD.match(expr, i)
        assert m is not None  # _WORD takes any character the cases above do not
        out.append(Token("word", m.group(), i))
        i = m.end()
    out.append(Token("end", "", len(expr)))
    return out


# ---------------------------------------------------------------- fields

@dataclass(frozen=True)
class Field:
    name: str
    kind: str  # text | int | month | ordered | many
    get: Callable  # (data, ctx) -> value (str/int/None, or a list for "many")
    show: Callable | None = None  # (data, ctx) -> str for output; default str(get)


@dataclass
class Ctx:
    as_of: dt.date
    codes: CodeTables
    grassroots: tuple = ()  # the policy's 任前审核.任职资格.基层单位包含

    def edu_level(self, text: str) -> int | None:
        return self.codes.education_level_of(text)


def _s(key):
    return lambda d, _c: d.get(key).strip() if isinstance(d.get(key), str) and d.get(key).strip() else None


def _edu(d, c):
    best = highest_education(d, c.codes)
    return best[0] if best else None


def _edu_show(d, c):
    best = highest_education(d, c.codes)
    return best[1] if best else ""


def _degrees(d, _c):
    return [x["学位"] for x in d.get("学历学位") or [] if isinstance(x, dict) and isinstance(x.get("学位"), str)]


def _capabilities(d, _c):
    cap = d.get("能力档案") if isinstance(d.get("能力档案"), dict) else {}
    return [x["名称"] for items in cap.values() if isinstance(items, list)
            for x in items if isinstance(x, dict) and isinstance(x.get("名称"), str)]


def _rank(d, c):
    v = d.get("职级")
    return c.codes.rank_level.get(v) if isinstance(v, str) else None


FIELDS = {f.name: f for f in [
    Field("编号", "text", _s("编号")),
    Field("姓名", "text", _s("姓名")),
    Field("性别", "text", _s("性别")),
    Field("年龄", "int", lambda d, c: age(d, c.as_of)),
    Field("出生年月", "month", _s("出生年月")),
    Field("民族", "text", _s("民族")),
    Field("籍贯", "text", _s("籍贯")),
    Field("出生地", "text", _s("出生地")),
    Field("政治面貌", "text", _s("政治面貌")),
    Field("入党时间", "month", _s("入党时间")),
    Field("参加工作时间", "month", _s("参加工作时间")),
    Field("健康状况", "text", _s("健康状况")),
    Field("学历", "ordered", _edu, _edu_show),
    Field("学位", "many", _degrees, lambda d, c: "、".join(_degrees(d, c))),
    Field("干部身份", "text", _s("干部身份")),
    Field("管档单位", "text", _s("管档单位")),
    Field("档案类别", "text", lambda d, _c: "副本" if d.get("档案类别") == "副本" else "正本"),  # 不写即为正本
    Field("正本保管单位", "text", _s("正本保管单位")),
    Field("现任职务", "text", _s("现任职务")),
    Field("职级", "ordered", _rank, lambda d, _c: d.get("职级") if isinstance(d.get("职级"), str) else ""),
    Field("专业技术职务", "text", _s("专业技术职务")),
    Field("熟悉专业有何专长", "text", _s("熟悉专业有何专长")),
    Field("能力", "many", _capabilities, lambda d, c: "、".join(_capabilities(d, c))),
    Field("工龄", "int", lambda d, c: career.work_years(d, c.as_of)),
    Field("任现职年限", "int", lambda d, c: career.level_years(d, c.as_of, c.codes.rank_level)),
    Field("基层经历年限", "int", lambda d, c: career.grassroots_years(d, c.as_of, list(c.grassroots))),
]}


# ---------------------------------------------------------------- parser → predicate

class Parser:
    def __init__(self, expr: str, ctx: Ctx):
        self.expr, self.ctx = expr, ctx
        if len(expr) > MAX_LENGTH:
            raise QueryError(f"查询条件过长（{len(expr)} 个字符，上限 {MAX_LENGTH}）", expr[:40] + "…", 0)
        self.tokens = tokenize(expr)
        self.i = 0
        self.depth = 0

    def peek(self) -> Token:
        return self.tokens[self.i]

    def take(self) -> Token:
        tok = self.tokens[self.i]
        self.i += 1
        return tok

    def error(self, message: str, tok: Token):
        raise QueryError(message, self.expr, tok.col)

    def word(self, tok: Token) -> str | None:
        return None if tok.kind != "word" or tok.quoted else WORDS.get(tok.text.lower())

    def parse(self) -> Callable:
        if self.peek().kind == "end":
            self.error("查询条件是空的，例如：学历>=大学 and 年龄<40", self.peek())
        pred = self.or_()
        tok = self.peek()
        if tok.kind == ")":
            self.error("多了一个右括号", tok)
        if tok.kind != "end":
            self.error(f"这里应是 and 或 or，不是“{tok.text}”", tok)
        return pred

    def or_(self):
        parts = [self.and_()]
        while self.word(self.peek()) == "or":
            self.take()
            parts.append(self.and_())
        return parts[0] if len(parts) == 1 else (lambda d, ps=parts: any(p(d) for p in ps))

    def and_(self):
        parts = [self.not_()]
        while self.word(self.peek()) == "and":
            self.take()
            parts.append(self.not_())
        return parts[0] if len(parts) == 1 else (lambda d, ps=parts: all(p(d) for p in ps))

    def not_(self):
        tok = self.peek()
        if self.word(tok) == "not" or tok.kind == "(":
            self.depth += 1
            if self.depth > MAX_DEPTH:
                self.error(f"括号和 not 嵌套过深（上限 {MAX_DEPTH} 层）", tok)
            try:
                return self._not(tok)
            finally:
                self.depth -= 1
        return self.comparison()

    def _not(self, tok: Token):
        if self.word(tok) == "not":
            self.take()
            inner = self.not_()
            return lambda d: not inner(d)
        if tok.kind == "(":
            self.take()
            inner = self.or_()
            if self.peek().kind != ")":
                self.error("缺少右括号", self.peek())
            self.take()
            return inner
        return self.comparison()

    def comparison(self):
        tok = self.take()
        if tok.kind == "end":
            self.error("条件不完整：这里还应有“字段 运算符 值”", tok)
        if tok.kind != "word" or self.word(tok):
            self.error(f"这里应是字段名，不是“{tok.text}”", tok)
        if tok.text in FORBIDDEN:
            self.error(f"“{tok.text}”不能用于查询（不公开）", tok)
        field = FIELDS.get(tok.text)
        if field is None:
            self.error(f"没有字段“{tok.text}”；可用的字段：{'、'.join(FIELDS)}", tok)
        op = self.take()
        if op.kind != "op":
            self.error(f"字段“{field.name}”后面应是运算符（= != < <= > >= ~），不是“{op.text or '结尾'}”", op)
        val = self.take()
        if val.kind != "word" or (self.word(val) and not val.quoted):
            self.error(f"运算符“{op.text}”后面应是要比较的值", val)
        return self.compile(field, op, val)

    def compile(self, field: Field, op: Token, val: Token):
        ctx, text, o = self.ctx, val.text, op.text
        get = field.get
        if field.kind in ("text", "many"):
            if o in ("<", "<=", ">", ">="):
                self.error(f"字段“{field.name}”是文字，不能比较大小；可用 = != ~", op)
            many = field.kind == "many"

            def test(v):
                return v == text if o in ("=", "!=") else text in v

            def matches(d):
                v = get(d, ctx)
                values = v if many else ([v] if v is not None else [])
                hit = any(test(x) for x in values)
                return not hit if o == "!=" else hit
            return matches
        if o == "~":
            self.error(f"字段“{field.name}”不能用 ~（包含），请用 = != < <= > >=", op)
        target: int | None
        if field.kind == "int":
            if not re.fullmatch(r"[0-9]{1,3}", text):
                self.error(f"“{field.name}”应与整数比较，不是“{text}”", val)
            target, key = int(text), (lambda d: get(d, ctx))
        elif field.kind == "month":
            if re.fullmatch(r"(19|20)[0-9]{2}", text):  # a bare year compares years
                target, key = int(text), (lambda d: (lambda m: None if m is None else m // 12)(month_index(get(d, ctx))))
            elif month_index(text) is not None:
                target, key = month_index(text), (lambda d: month_index(get(d, ctx)))
            else:
                self.error(f"“{field.name}”应与年份或年月比较，写作 1980 或 1980.03，不是“{text}”", val)
        else:  # ordered
            level = ctx.edu_level(text) if field.name == "学历" else ctx.codes.rank_level.get(text)
            if level is None:
                known = "研究生、大学、大专、中专、高中，或完整的学历名称" if field.name == "学历" else "、".join(ctx.codes.rank_level)
                self.error(f"不认识的{field.name}“{text}”；可写：{known}", val)
            target, key = level, (lambda d: get(d, ctx))
        compare = {"=": lambda a: a == target, "!=": lambda a: a != target, "<": lambda a: a < target,
                   "<=": lambda a: a <= target, ">": lambda a: a > target, ">=": lambda a: a >= target}[o]

        def pred(d):
            v = key(d)
            if v is None:  # an unfilled value matches nothing but !=
                return o == "!="
            return compare(v)
        return pred


def parse(expr: str, ctx: Ctx) -> Callable:
    return Parser(expr, ctx).parse()


def columns_of(spec: str | None) -> list[str]:
    written = spec or ""
    names = [c.strip() for c in re.split(r"[,，、]", written) if c.strip()] if spec else list(DEFAULT_COLUMNS)
    for name in names:
        if name in FORBIDDEN:
            raise QueryError(f"“{name}”不能输出（不公开）", written, written.index(name), "--columns ")
        if name not in FIELDS:
            raise QueryError(f"没有字段“{name}”；可用的字段：{'、'.join(FIELDS)}", written, written.index(name),
                             "--columns ")
    return names


def run_query(repo, expr: str, as_of: dt.date, columns: str | None = None) -> tuple[list[str], list[list], list]:
    """(column names, rows, skipped) for the dossiers matching ``expr``, in 编号 order; ``skipped``
    (repo.Skipped) lists the files that could not be read, so they were not searched."""
    words = repo.policy.get("任前审核", "任职资格", "基层单位包含", default=[]) or []
    ctx = Ctx(as_of, repo.codes, tuple(words))
    pred = parse(expr, ctx)
    names = columns_of(columns)
    reading = repo.read_all()
    rows = [[_cell(FIELDS[n], d.data, ctx) for n in names] for d in reading.dossiers if pred(d.data)]
    return names, rows, reading.skipped


def _cell(field: Field, data: dict, ctx: Ctx):
    if field.show:
        return field.show(data, ctx)
    v = field.get(data, ctx)
    return "" if v is None else v


def render(fields: list[str], rows: list[list], fmt: str, title: str):
    if fmt == "json":
        return json.dumps([dict(zip(fields, r, strict=True)) for r in rows], ensure_ascii=False, indent=2) + "\n"
    if fmt == "csv":
        buf = io.StringIO()
        w = csv.writer(buf, lineterminator="\n")
        w.writerow(fields)
        w.writerows(csv_rows(rows))
        return buf.getvalue()
    if fmt == "xlsx":
        from .textable import xlsx_bytes

        return xlsx_bytes(title, fields, rows)
    right = {i for i, f in enumerate(fields) if FIELDS[f].kind == "int"}
    return table_text(fields, [[str(c) for c in r] for r in rows], right) + "\n"

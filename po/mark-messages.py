#!/usr/bin/env python3
"""Mark the messages of C files for gettext: wrap in _() the English
string literal a message call takes, where it is not marked yet.

    po/mark-messages.py stages/tiss-lote.c stages/common/parse.c ...

Marked: the format of fatal(code, ...), log_error/warn/notice/info(...),
fprintf(stderr, ...), snprintf(err|msg|why|reason..., size, ...),
buf_addf(&err|&msg, ...), the format of csvin_problem(r, line, col,
campo, ...) and of a file's own problem(r, col, campo, ...) (a literal
or each literal of a `cond ? "..." : "..."`), and with --returns also `return "..."`,
`*why = "..."`, `r->err = "..."` (the static messages of checking
functions).  Not marked: log_debug (for developers), literals with no
word of three letters (formats like "%s: %s"), SQL.  Adds #include
"i18n.h" where needed.  Review the diff: a literal that is data, not a
message, must stay unmarked.  Then `make pot` and translate po/pt_BR.po.
"""
import re
import sys

LIT = r'"(?:[^"\\\n]|\\.)*"(?:\s*"(?:[^"\\\n]|\\.)*")*'
CALL = re.compile(
    r'(\b(?:fatal\((?:[^,()]|\([^()]*\))+,|log_(?:error|warn|notice|info)\('
    r'|fprintf\(stderr,'
    r'|snprintf\((?:err|msg|errbuf|why|reason)\w*(?:->\w+)?,\s*[^,]+,'
    r'|buf_addf\(&?(?:err|msg)\w*,)\s*)(' + LIT + ')')
RET = re.compile(r'(\b(?:return|r->err =|why =|\*why =|\*err =)\s+)(' + LIT + ')')
SQL = re.compile(r'\b(SELECT|INSERT|UPDATE|DELETE|CREATE)\b')


def body(lit):
    return ''.join(re.findall(r'"((?:[^"\\\n]|\\.)*)"', lit))


def human(lit):
    b = re.sub(r'%[-+ #0-9.*]*(?:ll|l|z|h)?[a-zA-Z]', ' ', body(lit))
    b = re.sub(r'\\.', ' ', b)
    return re.search(r'[A-Za-z]{3,}', b) is not None and not SQL.search(b)


# Calls whose format is the n-th argument (0-based), not the first literal.
ARGN = {'csvin_problem': 4, 'problem': 3}
ARGCALL = re.compile(r'\b(csvin_problem|problem)\(')
LITONLY = re.compile(r'\s*' + LIT + r'\s*$')
TERN = re.compile(r'^(.*\?\s*)(' + LIT + r')(\s*:\s*)(' + LIT + r')(\s*)$', re.S)


def split_args(text, start):
    """The top-level arguments of the call whose '(' is at start - 1:
    a list of (begin, end) offsets, and the offset of its ')'."""
    depth, i, begin, args = 0, start, start, []
    while i < len(text):
        c = text[i]
        if c == '"':
            m = re.compile(r'"(?:[^"\\\n]|\\.)*"').match(text, i)
            i = m.end() if m else i + 1
            continue
        if c in '([{':
            depth += 1
        elif c in ')]}':
            if depth == 0:
                args.append((begin, i))
                return args, i
            depth -= 1
        elif c == ',' and depth == 0:
            args.append((begin, i))
            begin = i + 1
        i += 1
    return args, len(text)


def wrap_lit(arg):
    lit = arg.strip()
    if not human(lit) or ' ' not in body(lit):
        return arg
    lead = arg[:len(arg) - len(arg.lstrip())]
    return lead + '_(' + lit + ')' + arg[len(arg.rstrip()):]


def mark_args(text):
    out, pos = [], 0
    for m in ARGCALL.finditer(text):
        if m.start() < pos or re.match(r'\s*\w', text[m.start() - 20:m.start()][::-1]) and text[m.start() - 1:m.start()].isalnum():
            continue
        line_start = text.rfind('\n', 0, m.start()) + 1
        if re.match(r'\w', text[line_start:m.start()].strip()[:1] or ' ') and \
                re.search(r'\b(static|void|int|char)\b[^;(]*$', text[line_start:m.start()]):
            continue        # a declaration or definition
        args, end = split_args(text, m.end())
        n = ARGN[m.group(1)]
        if len(args) <= n:
            continue
        b, e = args[n]
        arg = text[b:e]
        if LITONLY.match(arg):
            new = wrap_lit(arg)
        else:
            t = TERN.match(arg)
            if not t:
                continue
            new = t.group(1) + wrap_lit(t.group(2)) + t.group(3) + \
                wrap_lit(t.group(4)) + t.group(5)
        out.append(text[pos:b] + new)
        pos = e
    out.append(text[pos:])
    return ''.join(out)


def add_include(path, text):
    if re.search(r'#include "(common/)?i18n\.h"', text):
        return text
    inc = '#include "common/i18n.h"' if '/common/' not in path else '#include "i18n.h"'
    lines = text.split('\n')
    idx = [i for i, l in enumerate(lines) if l.startswith('#include "')]
    if not idx:
        return text
    pos = next((i for i in idx
                if lines[i].split('"')[1].split('/')[-1] > 'i18n.h'), idx[-1] + 1)
    lines.insert(pos, inc)
    return '\n'.join(lines)


def mark(path, returns):
    text = open(path).read()
    new = CALL.sub(lambda m: m.group(1) + '_(' + m.group(2) + ')'
                   if human(m.group(2)) else m.group(0), text)
    new = mark_args(new)
    if returns:
        new = RET.sub(lambda m: m.group(1) + '_(' + m.group(2) + ')'
                      if ' ' in body(m.group(2)) and human(m.group(2))
                      else m.group(0), new)
    if new != text:
        open(path, 'w').write(add_include(path, new))
        print(path)


def main():
    args = sys.argv[1:]
    returns = '--returns' in args
    files = [a for a in args if a != '--returns']
    if not files:
        sys.exit(__doc__)
    for f in files:
        mark(f, returns)


main()

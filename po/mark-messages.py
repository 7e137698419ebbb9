#!/usr/bin/env python3
"""Mark the messages of C files for gettext: wrap in _() the English
string literal a message call takes, where it is not marked yet.

    po/mark-messages.py stages/tiss-lote.c stages/common/parse.c ...

Marked: the format of fatal(code, ...), log_error/warn/notice/info(...),
fprintf(stderr, ...), snprintf(err|msg|why|reason..., size, ...),
buf_addf(&err|&msg, ...), and with --returns also `return "..."`,
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

#!/usr/bin/env python3
"""savefeed.py FILE... -- Forth lines that write each FILE into clio's file
system when typed into a console shell: the file created with CREATE-FILE,
its text in `s\\" ..." fd @ WRITE-FILE` lines (backslashes, quotes, tabs
and newlines escaped; at most 240 characters a string, as an interpreted
S\\" holds 256), closed.  Typing a file's own lines would not do for one
whose comments span lines, or with tabs (the line editor completes).
"""
import os
import sys

CHUNK = 240


def esc(s):
    return (s.replace('\\', '\\\\').replace('"', '\\"').replace('\t', '\\t')
            .replace('\n', '\\n'))


print('variable savefeed-fd')
for path in sys.argv[1:]:
    name = os.path.basename(path)
    with open(path, encoding='latin-1') as f:
        text = f.read()
    if not text.endswith('\n'):
        text += '\n'
    print('s" %s" w/o create-file throw savefeed-fd !' % name)
    for i in range(0, len(text), CHUNK):
        print('s\\" %s" savefeed-fd @ write-file throw' % esc(text[i:i + CHUNK]))
    print('savefeed-fd @ close-file throw')

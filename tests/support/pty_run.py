#!/usr/bin/env python3
# tests/support/pty_run.py COLS TRANSCRIPT COMMAND... — run COMMAND on a
# pseudo-terminal COLS columns wide (what a person sees: isatty is true,
# TIOCGWINSZ says COLS), write everything it printed to TRANSCRIPT, and
# exit with its exit status.  Used by tests/integration/test_lang_cli.c.
import fcntl
import os
import pty
import struct
import subprocess
import sys
import termios

cols, transcript, command = int(sys.argv[1]), sys.argv[2], sys.argv[3:]
master, slave = pty.openpty()
fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 40, cols, 0, 0))
proc = subprocess.Popen(command, stdin=slave, stdout=slave, stderr=slave, close_fds=True)
os.close(slave)
data = b""
while True:
    try:
        chunk = os.read(master, 65536)
    except OSError:  # EIO: the other side closed
        break
    if not chunk:
        break
    data += chunk
status = proc.wait()
with open(transcript, "wb") as f:
    f.write(data.replace(b"\r\n", b"\n"))
sys.exit(status)

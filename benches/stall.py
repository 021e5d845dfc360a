"""Clients that send a large CSV batch and never read the answer, for
benches/soak.sh: COUNT connections at a time, each held open HOLD seconds
(longer than the server's write timeout) and then closed, until DURATION
seconds have passed. Loopback only; prints how many it opened."""
import socket
import sys
import time

host, port, count, hold, duration = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), float(sys.argv[4]), float(sys.argv[5])
rows = "".join(f"39.{i % 9000 + 1000},46.{i % 9000 + 1000},2022-03-25\n" for i in range(60_000))
body = ("lat,lon,date\n" + rows).encode()
head = (f"POST /api/v1/locate HTTP/1.1\r\nHost: {host}\r\nContent-Type: text/csv\r\n"
        f"Content-Length: {len(body)}\r\n\r\n").encode()
end = time.monotonic() + duration
opened = 0
while time.monotonic() < end:
    socks = []
    for _ in range(count):
        s = socket.create_connection((host, port))
        s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
        s.sendall(head + body)
        socks.append(s)
        opened += 1
    time.sleep(min(hold, max(0.0, end - time.monotonic())))
    for s in socks:
        s.close()
print(f"stalled clients opened: {opened}")

"""Issue 6: a peer that stalls, closes mid-reply, floods or never answers
neither hangs nor crashes the harness; the result says what happened and
at which step. The peers are small Python servers on loopback."""

import socket
import threading

import harness

SCENARIO = harness.testdata("ehlo_quit.smtp")


class Peer:
    """A one-connection TCP server on 127.0.0.1 playing `script`."""

    def __init__(self, script):
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(1)
        self.address = "127.0.0.1:%d" % self.sock.getsockname()[1]
        self.thread = threading.Thread(target=self.serve, args=(script,),
                                       daemon=True)
        self.thread.start()

    def serve(self, script):
        self.sock.settimeout(20)
        try:
            conn, _ = self.sock.accept()
        except OSError:
            return
        with conn:
            try:
                script(conn)
            except OSError:
                pass

    def close(self):
        self.sock.close()
        self.thread.join(timeout=5)


def play(script):
    peer = Peer(script)
    try:
        return harness.run([SCENARIO], "--target", peer.address,
                           "--timeout", "1s", timeout=60)
    finally:
        peer.close()


def test_stall_after_greeting_fails_at_the_step():
    def script(conn):
        conn.sendall(b"220 stall.example ready\r\n")
        conn.recv(1000)
        threading.Event().wait(5)

    code, results, _ = play(script)
    assert code == 1
    (r,) = results
    # The server answered the greeting, then stopped: its fault, not the
    # harness's, so FAILED at the step it stalled on (not ERROR).
    assert r["verdict"] == "FAILED"
    (f,) = [f for f in r["findings"]
            if "no reply from the server within 1 s" in f["message"]]
    assert f["kind"] == "pattern"
    assert f["expected"].startswith("S: 250")
    assert [s["status"] for s in r["steps"]][:3] == ["ok", "ok", "mismatch"]
    assert harness.run.elapsed < 30


def test_close_mid_reply_is_a_finding():
    def script(conn):
        conn.sendall(b"220 half.example ready\r\n")
        conn.recv(1000)
        conn.sendall(b"250-half.example\r\n250-SIZ")

    code, results, _ = play(script)
    assert code == 1
    (r,) = results
    assert r["verdict"] == "FAILED"
    assert any("middle of a reply line" in f["message"]
               for f in r["findings"] + r["incidental"])


def test_ten_megabyte_reply_line_is_bounded():
    def script(conn):
        conn.sendall(b"220 flood.example ready\r\n")
        conn.recv(1000)
        chunk = b"250-" + b"x" * (1 << 20)
        for _ in range(10):
            conn.sendall(chunk)
        conn.sendall(b"\r\n250 ok\r\n")
        conn.recv(1000)

    code, results, _ = play(script)
    assert code == 1
    (r,) = results
    assert "RFC 5321 4.5.3.1.5" in harness.sections(results)
    # The result stays small: the transcript keeps a bounded sample.
    assert sum(len(e["data"]) for e in r["transcript"]) < 1 << 20


def test_silent_server_is_error():
    def script(conn):
        threading.Event().wait(5)

    code, results, _ = play(script)
    assert code == 1
    assert results[0]["verdict"] == "ERROR"


def test_connection_refused_is_error():
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    sock.close()
    code, results, _ = harness.run([SCENARIO], "--target",
                                   "127.0.0.1:%d" % port, "--timeout", "1s")
    assert code == 1
    assert results[0]["verdict"] == "ERROR"
    assert results[0]["reason"]


def test_bad_flag_is_one_line_and_exit_2():
    code, results, err = harness.run([SCENARIO], "--bogus")
    assert code == 2 and results == []
    assert len(err.strip().splitlines()) == 1

/// Python helper programs. Each prints one JSON line when its sockets are open, then sleeps.
enum Scripts {
    /// argv: base port, then flags: `fork` (a child inherits every socket), `wildcard` (bind
    /// 0.0.0.0/:: instead of loopback, for a namespace whose lo is down), `evilname` (rename
    /// the process to an escape sequence, a quote and a byte that is not UTF-8), `oscname`
    /// (rename it to an OSC sequence that would set the terminal's title to "evil"), `name=HEX`
    /// (rename the process to those bytes, before any socket is opened).
    /// Opens TCP v4 + v6 listeners, UDP v4 + v6 bound sockets, and, as noise that must not
    /// count, an outgoing TCP connection and a connected UDP socket.
    /// Binds N TCP sockets to loopback, one after another, and closes each: N bind events
    /// and nothing the engine needs to rescan.
    static let bindBurst = #"""
    import socket, sys
    for _ in range(int(sys.argv[1])):
        s = socket.socket()
        s.bind(("127.0.0.1", 0))
        s.close()
    """#

    static let listeners = #"""
        import json, os, socket, sys, time
        base = int(sys.argv[1]); flags = sys.argv[2:]
        if "evilname" in flags or "oscname" in flags:
            import ctypes
            name = b'\x1b]0;evil\x07' if "oscname" in flags else b'\x1b[2J"\xff\\x'
            ctypes.CDLL(None).prctl(15, ctypes.c_char_p(name), 0, 0, 0)
        for flag in flags:
            if flag.startswith("name="):
                import ctypes
                ctypes.CDLL(None).prctl(15, ctypes.c_char_p(bytes.fromhex(flag[5:])), 0, 0, 0)
        v4, v6 = ("0.0.0.0", "::") if "wildcard" in flags else ("127.0.0.1", "::1")
        keep = []
        def sock(family, kind, address, listen):
            s = socket.socket(family, kind); s.bind(address)
            if listen: s.listen(16)
            keep.append(s); return s
        t4 = sock(socket.AF_INET, socket.SOCK_STREAM, (v4, base), True)
        sock(socket.AF_INET6, socket.SOCK_STREAM, (v6, base + 1), True)
        sock(socket.AF_INET, socket.SOCK_DGRAM, (v4, base + 2), False)
        sock(socket.AF_INET6, socket.SOCK_DGRAM, (v6, base + 3), False)
        if "wildcard" not in flags:
            keep.append(socket.create_connection(("127.0.0.1", base)))
            keep.append(t4.accept()[0])
            u = socket.socket(socket.AF_INET, socket.SOCK_DGRAM); u.connect(("127.0.0.1", 9)); keep.append(u)
        children = []
        if "fork" in flags:
            pid = os.fork()
            if pid == 0:
                time.sleep(3600); os._exit(0)
            children.append(pid)
        print(json.dumps({"pid": os.getpid(), "children": children}), flush=True)
        time.sleep(3600)
        """#

    /// argv: port. The parent listens; a forked child closes its copy of the listener and only
    /// connects out (TCP, and a connected UDP socket). Prints the child's pid as `client`.
    static let outgoingOnly = #"""
        import json, os, socket, sys, time
        server = socket.socket(); server.bind(("127.0.0.1", int(sys.argv[1]))); server.listen(4)
        r, w = os.pipe()
        pid = os.fork()
        if pid == 0:
            server.close()
            c = socket.create_connection(("127.0.0.1", int(sys.argv[1])))
            u = socket.socket(socket.AF_INET, socket.SOCK_DGRAM); u.connect(("127.0.0.1", 9))
            os.write(w, b"x"); time.sleep(3600); os._exit(0)
        os.read(r, 1); peer = server.accept()
        print(json.dumps({"pid": os.getpid(), "client": [pid]}), flush=True)
        time.sleep(3600)
        """#

    /// argv: port. Listens, then starts `sleep` as a child that holds no socket (close_fds),
    /// and prints the child's pid under `children`.
    static let listenerWithChild = #"""
        import json, os, socket, subprocess, sys, time
        server = socket.socket(); server.bind(("127.0.0.1", int(sys.argv[1]))); server.listen(4)
        child = subprocess.Popen(["sleep", "3600"], close_fds=True)
        print(json.dumps({"pid": os.getpid(), "children": [child.pid]}), flush=True)
        time.sleep(3600)
        """#

    /// argv: base port, process count, ports per process. That many processes (this one and
    /// forked children), each listening on its own run of TCP ports on 127.0.0.1: a screen full.
    static let crowd = #"""
        import json, os, socket, sys, time
        base, count, per = (int(a) for a in sys.argv[1:4])
        def listen(index):
            return [socket.create_server(("127.0.0.1", port)) for port in range(base + index * per, base + (index + 1) * per)]
        children = []
        for index in range(1, count):
            pid = os.fork()
            if pid == 0:
                held = listen(index); time.sleep(3600); os._exit(0)
            children.append(pid)
        held = listen(0)
        print(json.dumps({"pid": os.getpid(), "children": children}), flush=True)
        time.sleep(3600)
        """#

    /// Prints its pid and waits: a plain python3 process for language detection.
    static let idle = #"""
        import json, os, time
        print(json.dumps({"pid": os.getpid()}), flush=True)
        time.sleep(3600)
        """#
}

/// A workload that causes each of the six kernel event kinds once, from a known pid.
extension Scripts {
    /// argv: port. Binds and listens on it, listens once more on a port the kernel picks,
    /// binds and closes a UDP socket, forks a child that execs `/bin/true` (fork, exec, exit),
    /// then closes both listeners. Prints `{"pid", "child", "auto_port"}` at the end, then sleeps.
    static let sixKinds = #"""
        import json, os, socket, sys, time
        port = int(sys.argv[1])
        t = socket.socket(); t.bind(("127.0.0.1", port)); t.listen(8)
        auto = socket.socket(); auto.listen(8); auto_port = auto.getsockname()[1]
        u = socket.socket(socket.AF_INET, socket.SOCK_DGRAM); u.bind(("127.0.0.1", port)); time.sleep(0.3); u.close()
        child = os.fork()
        if child == 0:
            os.execv("/bin/true", ["true"])
        os.waitpid(child, 0)
        time.sleep(0.3)
        t.close(); auto.close()
        print(json.dumps({"pid": os.getpid(), "child": child, "auto_port": auto_port}), flush=True)
        time.sleep(3600)
        """#
}

/// A listener handed from one process to another over a Unix socket (SCM_RIGHTS), as HAProxy's
/// seamless reload and nginx's binary upgrade do.
extension Scripts {
    /// argv: port. Listens, forks a receiver (which drops its inherited copy at once), sends it
    /// the listener, closes its own copy and prints `{"pid", "children": [receiver]}`.
    static let handsOverAListener = #"""
        import array, json, os, socket, sys, time
        port = int(sys.argv[1])
        listener = socket.socket(); listener.bind(("127.0.0.1", port)); listener.listen(8)
        a, b = socket.socketpair(socket.AF_UNIX, socket.SOCK_STREAM)
        child = os.fork()
        if child == 0:
            listener.close(); a.close()
            msg, ancillary, flags, address = b.recvmsg(1, socket.CMSG_LEN(4))
            held = socket.socket(fileno=array.array("i", ancillary[0][2])[0])
            time.sleep(3600); os._exit(0)
        b.close()
        time.sleep(1)
        a.sendmsg([b"x"], [(socket.SOL_SOCKET, socket.SCM_RIGHTS, array.array("i", [listener.fileno()]))])
        time.sleep(0.2)
        listener.close()
        print(json.dumps({"pid": os.getpid(), "children": [child]}), flush=True)
        time.sleep(3600)
        """#

    /// argv: base port. Listens on TCP base, says it is ready, and after a second also on
    /// base + 1: a known process that gains a port.
    static let growsAPort = #"""
        import json, os, socket, sys, time
        base = int(sys.argv[1])
        first = socket.socket(); first.bind(("127.0.0.1", base)); first.listen(16)
        print(json.dumps({"pid": os.getpid()}), flush=True)
        time.sleep(1)
        second = socket.socket(); second.bind(("127.0.0.1", base + 1)); second.listen(16)
        time.sleep(3600)
        """#

    /// argv: port. A TCP listener on it whose only reference is in flight: its fd was sent over
    /// a unix socket nobody reads and then closed, so no process holds it.
    static let inFlightListener = #"""
        import json, os, socket, sys, time
        a, b = socket.socketpair(socket.AF_UNIX)
        l = socket.socket(); l.bind(("127.0.0.1", int(sys.argv[1]))); l.listen(16)
        socket.send_fds(a, [b"x"], [l.fileno()])
        l.close()
        print(json.dumps({"pid": os.getpid()}), flush=True)
        time.sleep(3600)
        """#
}

/// Turning a kernel batch into targeted reads: the pids it names, never a full scan, and
/// lookups by pid and inode only, so a batch costs O(batch) whatever is known.
extension DiscoveryCore {
    /// Reads the batch and updates the listening map with the sockets it announces. The engine
    /// rescans `plan.pids` and feeds the result back as `.rescan(plan, …)`.
    public mutating func plan(_ events: [KernelEvent]) -> RescanPlan {
        var plan = RescanPlan()
        var rescan = Set<Int32>()
        var exited = Set<Int32>()
        let portlessSelectors = criteria.matchesPortless
        func known(_ pid: Int32) -> Bool { identities[pid] != nil }
        func matched(_ pid: Int32) -> Bool { identities[pid].flatMap { verdicts[$0] }?.matched == true }
        for event in events {
            let time = WallClock.fromMonotonic(event.monotonicNanos)
            var relevant = true
            var named: [Int32] = []
            switch event.kind {
            case .bind:
                // A bound UDP socket is a listener already; a bound TCP one waits for listen().
                if event.result == 0, event.proto == .udp, event.port != 0 {
                    if let socket = event.socket, socket.inode != 0 {
                        listening[socket.inode] = socket
                    } else {
                        plan.hints[event.pid, default: []].append(SocketHint(proto: .udp, port: event.port))
                    }
                    named = [event.pid]
                }
            case .listen:
                if let socket = event.socket, socket.inode != 0, socket.port != 0 {
                    listening[socket.inode] = socket
                } else if event.inode != 0 {
                    plan.hints[event.pid, default: []].append(SocketHint(inode: event.inode, proto: .tcp))
                }
                named = [event.pid]
            case .close:
                if event.inode == 0 {
                    // A UDP release names no socket: only a process known to hold listeners can lose one.
                    relevant = known(event.pid)
                    if relevant { named = [event.pid] }
                    break
                }
                listening.removeValue(forKey: event.inode)
                // A shared listener closes for every holder at once.
                named = [event.pid] + holders(of: event.inode)
            case .fork:
                // A pid that exited earlier in this batch and is born again: the rescan sees
                // the new start time and deletes the old process as it creates the new one.
                exited.remove(event.pid)
                // The child inherits its parent's listeners. The parent may have started
                // listening earlier in this same batch, so pids being rescanned count too.
                relevant = known(event.ppid) || rescan.contains(event.ppid)
                if relevant { named = [event.pid] }
                // A child of a matched process inherits its match even if it listens on nothing.
                if matched(event.ppid) || rescan.contains(event.ppid) || plan.keepPortless.contains(event.ppid) {
                    plan.keepPortless.insert(event.pid)
                    named = [event.pid]
                }
            case .exec:
                relevant = known(event.pid) || rescan.contains(event.pid)
                if relevant { named = [event.pid] }
                // A new program may be one a selector without open_ports picks.
                if portlessSelectors || known(event.pid) {
                    plan.keepPortless.insert(event.pid)
                    named = [event.pid]
                }
            case .exit:
                relevant = known(event.pid)
                if relevant {
                    exited.insert(event.pid)
                    plan.causes[event.pid] = time
                }
            }
            // The sockets of an exiting process close after its exit: the exit stays the cause
            // of its deletion, and there is nothing left to read.
            for pid in named where !exited.contains(pid) {
                rescan.insert(pid)
                plan.causes[pid] = time
            }
            plan.events.append((event, relevant, time))
        }
        plan.keepPortless.subtract(exited)
        plan.pids = rescan.subtracting(exited).sorted()
        plan.scope = rescan.union(exited)
        return plan
    }

    /// Fills in what the hook could not see from the rescan of the event's process: the port of
    /// an auto-bound listen (the state tracepoint fires before the kernel picks it), the socket of
    /// a bind reported by a cgroup hook (which has no inode or namespace), and the socket a UDP
    /// release was about (the one UDP socket the process held before and holds no more).
    func completed(_ event: KernelEvent, from records: [Int32: ProcessRecord]) -> KernelEvent {
        guard event.isSocketEvent else { return event }
        if event.kind == .close {
            guard event.inode == 0, let before = record(of: event.pid)?.ports else { return event }
            let after = Set(records[event.pid]?.ports?.map(\.socket.inode) ?? [])
            let gone = before.map(\.socket).filter { $0.proto == .udp && !after.contains($0.inode) }
            guard gone.count == 1 else { return event }
            var result = event
            result.port = gone[0].port
            result.address = gone[0].address
            result.inode = gone[0].inode
            result.netns = gone[0].netns
            return result
        }
        guard event.port == 0 || event.inode == 0 else { return event }
        guard let ports = records[event.pid]?.ports else { return event }
        let held = ports.first { held in
            event.inode != 0
                ? held.socket.inode == event.inode
                : held.socket.port == event.port && held.socket.proto == event.proto && held.socket.family == event.family
        }
        guard let socket = held?.socket else { return event }
        var result = event
        result.port = socket.port
        result.inode = socket.inode
        if result.netns == 0 { result.netns = socket.netns }
        return result
    }
}

#!/usr/bin/env python3
# On-CPU profile from a speedscope file written by dotnet-trace (thread-time sampling), for scripts/profile.sh: only the
# samples whose top frame is CPU_TIME count. Prints thread-seconds on the CPU, then the frames by inclusive and by self time.
import json, sys, collections, re
d = json.load(open(sys.argv[1])); n = int(sys.argv[2]) if len(sys.argv) > 2 else 25
flt = sys.argv[3] if len(sys.argv) > 3 else None
frames = [f['name'] for f in d['shared']['frames']]
cpu = frames.index('CPU_TIME') if 'CPU_TIME' in frames else -1
incl = collections.Counter(); excl = collections.Counter(); total = 0; wall = 0
for p in d['profiles']:
    stack = []; last = p['startValue']
    for e in p['events']:
        t = e['at']; dt = t - last; last = t
        if stack and stack[-1] == cpu:
            if flt and not any(re.search(flt, frames[f]) for f in stack): pass
            else:
                total += dt
                if len(stack) > 1: excl[stack[-2]] += dt
                for f in set(stack[:-1]): incl[f] += dt
        if e['type'] == 'O': stack.append(e['frame'])
        else: stack.pop()
    wall = max(wall, p['endValue'] - p['startValue'])
def short(s):
    s = re.sub(r'\(.*', '', s); return s[:120]
print(f"on CPU: {total/1000:.1f} thread-seconds over {wall/1000:.1f} s wall ({total/wall:.2f} cores)")
skip = ('Process64', 'Non-Activities', 'Threads', 'Thread (', 'StartCallback', 'WorkerThreadStart', 'Dispatch', 'RunInternal', 'ExecutionContext')
print("inclusive:")
for f, v in [x for x in incl.most_common(400) if not any(s in frames[x[0]] for s in skip)][:n]: print(f"  {v/total:6.1%}  {short(frames[f])}")
print("self:")
for f, v in excl.most_common(n): print(f"  {v/total:6.1%}  {short(frames[f])}")

#!/usr/bin/python3
"""Flash and RAM of a tinyonnx firmware, split by part, from its linker map.

    /usr/bin/python3 bench/footprint.py [--log FILE] [--objects N] ELF [ELF...]
    (or: sh bench/footprint.sh ELF...)

For each ELF the map beside it (ELF without .elf + .map, written by
tinyonnx_add_firmware with -Wl,-Map) is read; every input section placed in
an output section is summed by part:

  flash  runtime   libtinyonnx_core.a minus the kernels: wire reader, graph
                   builder and passes, op Prepare functions, planner,
                   interpreter, base
         kernels   objects compiled from src/tinyonnx/kernels/
         model     the .model section (the ONNX bytes read in place)
         port      ports/cortex-m: startup, vectors, semihosting, console
         app       firmware/ (main.cc, the classifier wrapper, the resolver,
                   the MNIST test images linked into flash)
         libc      libgcc, newlib-nano libc and libm
         other     alignment fill and what matches none of the above
  RAM    arena     the static arena buffer (.arena), and the part the model
                   uses (from the firmware's output): the larger of activations
                   + persistent and the peak while Prepare() builds the graph
         stack     .stack (with its MPU guard) and the high-water mark the
                   firmware measures by painting
         static    .data + .bss (everything else)

The run-time figures (arena used, stack used) come from the firmware's
output: --log FILE holds it; without --log the firmware runs `digit 0`
under ports/cortex-m/run_qemu.sh. Prints a markdown table.

--code-budget BYTES also checks that runtime + kernels of every ELF fit
BYTES: exit status 1 when one does not (the on-target test
target_plan_budget_<board>).
"""
import argparse
import os
import re
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
FLASH_SECTIONS = {".isr_vector", ".text", ".model", ".ARM.extab", ".ARM.exidx", ".preinit_array",
                  ".init_array", ".fini_array", ".data"}  # .data: its load image is in flash
RAM_SECTIONS = {".stack", ".data", ".arena", ".bss"}


def kernel_objects():
    kdir = os.path.join(ROOT, "src", "tinyonnx", "kernels")
    names = set()
    for dirpath, _, files in os.walk(kdir):
        names.update(f + ".obj" for f in files if f.endswith(".cc"))
    others = set()
    for dirpath, _, files in os.walk(os.path.join(ROOT, "src")):
        if not dirpath.startswith(kdir):
            others.update(f + ".obj" for f in files if f.endswith(".cc"))
    return names, names & others  # kernel objects, names also used outside kernels/


def parse_map(path):
    """Yields (output section, input section name, size, object)."""
    with open(path) as f:
        lines = f.read().split("\n")
    start = next(i for i, l in enumerate(lines) if l.startswith("Linker script and memory map"))
    out = None
    pending = None
    for line in lines[start + 1:]:
        m = re.match(r"^(\.[\w.]+)\s*(0x[0-9a-f]+)?", line)
        if m and not line.startswith(" "):
            out = m.group(1)
            pending = None
            continue
        if out is None:
            continue
        m = re.match(r"^ (\*fill\*|[.\w][^\s]*)\s+(0x[0-9a-f]+)\s+(0x[0-9a-f]+)\s*(.*)$", line)
        if m:
            yield out, m.group(1), int(m.group(3), 16), m.group(4).strip()
            pending = None
            continue
        m = re.match(r"^ ([.\w][^\s]*)$", line)
        if m:
            pending = m.group(1)
            continue
        m = re.match(r"^\s+(0x[0-9a-f]+)\s+(0x[0-9a-f]+)\s+(\S.*)$", line)
        if m and pending is not None:
            yield out, pending, int(m.group(2), 16), m.group(3).strip()
            pending = None


def classify(obj, section, kernels, ambiguous, kernel_sections):
    member = re.search(r"\(([^)]+)\)$", obj)
    if "libtinyonnx_core.a" in obj and member:
        name = member.group(1)
        if name in kernels and (name not in ambiguous or section in kernel_sections.get(name, ())):
            return "kernels"
        return "runtime"
    if "tinyonnx_cortexm" in obj:
        return "port"
    if "arm-none-eabi" in obj or re.search(r"lib(c|m|gcc|c_nano|m_nano|g_nano|nosys)\.a", obj):
        return "libc"
    if "model_data" in obj:
        return "model"
    if "mnist" in obj or "main.cc" in obj or "firmware" in obj:
        return "app"
    return "other"


def sections_of_kernel_objects(build_dir, ambiguous):
    """For object names that exist both in kernels/ and elsewhere: the section
    names the kernels/ object defines (readelf on the build tree's object)."""
    result = {}
    if not ambiguous:
        return result
    for dirpath, _, files in os.walk(build_dir):
        if "/tinyonnx/kernels/" not in dirpath + "/":
            continue
        for f in files:
            if f in ambiguous:
                text = subprocess.run(["arm-none-eabi-readelf", "-SW", os.path.join(dirpath, f)],
                                      capture_output=True, text=True).stdout
                result[f] = set(re.findall(r"\]\s+(\.\S+)", text))
    return result


def run_log(elf):
    run = os.path.join(ROOT, "ports", "cortex-m", "run_qemu.sh")
    return subprocess.run(["sh", run, elf, "digit", "0"], capture_output=True, text=True).stdout


def footprint(elf, log=None):
    map_path = re.sub(r"\.elf$", ".map", elf)
    kernels, ambiguous = kernel_objects()
    build_dir = os.path.dirname(os.path.dirname(os.path.abspath(elf)))
    kernel_sections = sections_of_kernel_objects(build_dir, ambiguous)
    flash = dict.fromkeys(["runtime", "kernels", "model", "port", "app", "libc", "other"], 0)
    objects = {}  # (part, object file) -> flash bytes, for runtime and kernels
    ram = dict.fromkeys([".stack", ".data", ".arena", ".bss"], 0)
    for out, section, size, obj in parse_map(map_path):
        if out in FLASH_SECTIONS:
            part = "model" if out == ".model" else (
                "other" if section == "*fill*" else classify(obj, section, kernels, ambiguous,
                                                             kernel_sections))
            flash[part] += size
            member = re.search(r"\(([^)]+)\)$", obj)
            if part in ("runtime", "kernels") and member:
                key = (part, member.group(1).replace(".cc.obj", ""))
                objects[key] = objects.get(key, 0) + size
        if out in RAM_SECTIONS:
            ram[out] += size
    # Output section sizes (with alignment) are the truth for RAM.
    sizes = {}
    text = subprocess.run(["arm-none-eabi-size", "-A", "-d", elf], capture_output=True,
                          text=True).stdout
    for line in text.splitlines():
        parts = line.split()
        if len(parts) >= 2 and parts[0].startswith(".") and parts[1].isdigit():
            sizes[parts[0]] = int(parts[1])
    flash_total = sum(sizes.get(s, 0) for s in FLASH_SECTIONS)
    if log is None:
        log = run_log(elf)
    arena_used = re.search(r"arena (\d+) of (\d+) bytes used: activations (\d+), persistent (\d+)"
                           r"(?:[^\n]*?, (\d+) while preparing)?", log)
    stack_used = re.search(r"stack: (\d+) of (\d+) bytes used", log)
    return {
        "elf": elf, "flash": flash, "flash_total": flash_total, "sizes": sizes, "objects": objects,
        "arena": [int(x) if x else None for x in arena_used.groups()] if arena_used else None,
        "stack": [int(x) for x in stack_used.groups()] if stack_used else None,
    }


def table(results, names=None):
    rows = []
    head = "| firmware | flash total | runtime | kernels | model | port | app (+test images) | libc/libgcc/libm | fill | RAM total | arena (used: act. + pers.; Prepare peak) | stack (used) | static .data+.bss |"
    rows.append(head)
    rows.append("|" + "---|" * 1 + "---:|" * (head.count("|") - 2))
    for i, r in enumerate(results):
        f = r["flash"]
        s = r["sizes"]
        ram_total = sum(s.get(x, 0) for x in RAM_SECTIONS)
        arena = f"{s.get('.arena', 0):,}"
        if r["arena"]:
            used, _, act, pers, peak = r["arena"]
            arena += f" ({used:,}: {act:,} + {pers:,}" + (f"; {peak:,}" if peak else "") + ")"
        stack = f"{s.get('.stack', 0):,}"
        if r["stack"]:
            stack += f" ({r['stack'][0]:,})"
        name = names[i] if names else os.path.basename(r["elf"])
        rows.append(f"| {name} | {r['flash_total']:,} | {f['runtime']:,} | {f['kernels']:,} | "
                    f"{f['model']:,} | {f['port']:,} | {f['app']:,} | {f['libc']:,} | {f['other']:,} | "
                    f"{ram_total:,} | {arena} | {stack} | {s.get('.data', 0) + s.get('.bss', 0):,} |")
    return "\n".join(rows)


def largest_objects(result, count):
    """The `count` largest objects of the runtime and of the kernels, as text."""
    lines = []
    for part in ("runtime", "kernels"):
        items = sorted(((size, name) for (p, name), size in result["objects"].items() if p == part),
                       reverse=True)[:count]
        listed = ", ".join(f"{name} {size:,}" for size, name in items)
        lines.append(f"{os.path.basename(result['elf'])} {part} {result['flash'][part]:,}: {listed}")
    return "\n".join(lines)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--log", help="the firmware's output (else it runs `digit 0` under QEMU)")
    parser.add_argument("--objects", type=int, default=0, metavar="N",
                        help="also list the N largest objects of the runtime and of the kernels")
    parser.add_argument("--code-budget", type=int, metavar="BYTES",
                        help="fail unless runtime + kernels of each ELF fit BYTES")
    parser.add_argument("elf", nargs="+")
    args = parser.parse_args()
    log = open(args.log).read() if args.log else None
    results = [footprint(e, log) for e in args.elf]
    print(table(results))
    for r in results if args.objects else []:
        print()
        print(largest_objects(r, args.objects))
    over = 0
    for r in results if args.code_budget is not None else []:
        code = r["flash"]["runtime"] + r["flash"]["kernels"]
        verdict = "fits" if code <= args.code_budget else "FAIL: over"
        print(f"{os.path.basename(r['elf'])}: runtime + kernels {code:,} bytes, "
              f"{verdict} the budget of {args.code_budget:,}")
        over += code > args.code_budget
    return 1 if over else 0


if __name__ == "__main__":
    sys.exit(main())

#!/usr/bin/env python3
"""Check progress-pair JSONs: every `earlier`/`later` string is an exact substring of its text,
classes are valid, and texts.json lists every text in texts/. Usage: check_progress.py DIR..."""
import json, os, sys, glob
CLASSES = {"done", "progress", "reaffirmed"}
def check(folder):
    errs = []; n_pairs = 0; counts = {c: 0 for c in CLASSES}
    meta = json.load(open(os.path.join(folder, "texts.json")))
    for t in glob.glob(os.path.join(folder, "texts", "*.txt")):
        if os.path.basename(t)[:-4] not in meta: errs.append(f"{t}: not in texts.json")
    for f in sorted(glob.glob(os.path.join(folder, "*--*.json"))):
        n_pairs += 1
        d = json.load(open(f))
        txt = {}
        for k in ("earlier", "later"):
            p = os.path.join(folder, d[k])
            if not os.path.exists(p): errs.append(f"{f}: missing {p}"); continue
            txt[k] = open(p, encoding="utf-8").read()
        if len(txt) < 2: continue
        for i, m in enumerate(d["matches"]):
            if m.get("class") not in CLASSES: errs.append(f"{f} #{i}: bad class {m.get('class')}")
            else: counts[m["class"]] += 1
            if m["earlier"] not in txt["earlier"]: errs.append(f"{f} #{i}: earlier not found: {m['earlier'][:60]}")
            ls = m["later"] if isinstance(m["later"], list) else [m["later"]]
            if not ls: errs.append(f"{f} #{i}: empty later")
            for l in ls:
                if l not in txt["later"]: errs.append(f"{f} #{i}: later not found: {l[:60]}")
        for q in d.get("not_reported", []):
            if q not in txt["earlier"]: errs.append(f"{f}: not_reported not found: {q[:60]}")
        if "second_pass" not in d and "labelled_by" in d and "issue 17" in d.get("labelled_by", ""):
            errs.append(f"{f}: no second_pass")
    n = sum(counts.values())
    print(f"{folder}: {n_pairs} pairs, {n} matches {counts}")
    return errs
errs = []
for folder in sys.argv[1:] or ["progress"]:
    errs += check(folder)
for e in errs: print("ERROR", e)
sys.exit(1 if errs else 0)

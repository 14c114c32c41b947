"""Evaluation phases that evaluate several data splits in turn.

A GPT-style `estimate_loss()` runs, under no_grad, `eval_iters` batches of the train split and then
`eval_iters` batches of the val split. Averaged together they are neither loss. The recorder keeps
the per-call losses of each evaluation phase on the device (at most MAX_CALLS) and hands them here at
flush, on the host: a phase is "split" when it is K >= 2 consecutive segments of equal length whose
means clearly differ (a step, not a trend) while each segment is homogeneous (exchangeable batches,
not a loader sorted by class or length). The decision is made per run: once phases with N loss calls
show K splits (one phase clearly, or two phases), every phase with N calls is written as K series,
including the ones written before (the recorder voids their mixed eval_loss; see traindx_dir.py).

Pure Python: no torch, no host sync (the values are already host floats).
"""
from __future__ import annotations

import math
from dataclasses import dataclass, field

MAX_CALLS = 512      # per-call losses kept per phase; beyond this the phase is not segmented
MIN_LEN = 5          # loss calls per segment, at least
MAX_SPLITS = 8
T_BETWEEN = 4.0      # adjacent segment means differ by more than this many pooled standard errors
T_WITHIN = 4.0       # ... while the two halves of each segment differ by less
T_STRONG = 6.0       # one phase this clear decides the run; between T_BETWEEN and this, two phases
T_SLOPE = 3.5        # ... and show no common slope (a trend cut in pieces is no set of splits)
STEP_RATIO = 0.25    # ... and their halves differ by less than this share of the smallest step
                     # between segments (a trend's halves differ by half of it)
MAX_PURE = 0.5       # phases where this share of the batches hold one label value are not segmented
                     # (a loader sorted by class lines its classes up as if they were splits)
MAX_AUTOCORR = 0.5   # residual lag-1 autocorrelation above this: the batches are not exchangeable
                     # (a loader sorted by class or length), and the standard errors mean nothing
SPLIT_KEY = "eval_loss_split{}"
EXTRA_KEY = "eval_loss_extra"  # calls beyond a run's usual evaluation, in the same phase
MIN_USUAL = 3        # phases of one shape (their calls' input sizes) before it is the run's usual one
MAX_SHAPE = 64       # calls per phase whose shape is remembered


def candidates(n: int) -> list[int]:
    return [k for k in range(2, MAX_SPLITS + 1) if n % k == 0 and n // k >= MIN_LEN]


def _mean(xs) -> float:
    return sum(xs) / len(xs)


def detect(values: list[float]) -> int | None:
    """K when the loss calls of one phase are K consecutive segments of equal length at clearly
    different levels, else None."""
    found = detect_strength(values)
    return found[0] if found else None


def detect_strength(values: list[float]) -> tuple[int, float] | None:
    """(K, the smallest step between adjacent segments in standard errors), or None. Among several K
    that pass, the one that leaves the least variance within its segments (a wrong K puts two levels
    in one segment)."""
    n = len(values)
    if n < 2 * MIN_LEN or not all(math.isfinite(v) for v in values):
        return None
    best: tuple[int, float, float] | None = None
    for k in candidates(n):
        size = n // k
        segs = [values[i * size:(i + 1) * size] for i in range(k)]
        means = [_mean(s) for s in segs]
        resid = [[x - m for x in s] for s, m in zip(segs, means)]
        ss = sum(r * r for seg in resid for r in seg)
        floor = max((1e-7 * max(abs(m) for m in means)) ** 2, 1e-30)  # float32 resolution
        var = max(ss / (n - k), floor)
        lag = sum(a * b for seg in resid for a, b in zip(seg, seg[1:]))
        r1 = lag / ss if ss / (n - k) > floor else 0.0  # rounding residue is no correlation
        if r1 > MAX_AUTOCORR:
            continue
        inflate = math.sqrt((1 + max(r1, 0.0)) / (1 - max(r1, 0.0)))  # AR(1) effective sample size
        se = math.sqrt(2 * var / size) * inflate
        step = min(abs(a - b) for a, b in zip(means, means[1:]))
        if step <= T_BETWEEN * se:
            continue
        half = size // 2
        se_half = math.sqrt(2 * var / half) * inflate
        within = max(abs(_mean(s[:half]) - _mean(s[size - half:])) for s in segs)
        if within >= T_WITHIN * se_half or within >= STEP_RATIO * step:
            continue
        centre = (size - 1) / 2  # the slope of the residuals against the position in the segment
        sxx = k * size * (size * size - 1) / 12
        slope = sum((i - centre) * r for seg in resid for i, r in enumerate(seg)) / sxx
        if abs(slope) >= T_SLOPE * math.sqrt(var / sxx) * inflate:
            continue
        if best is None or var < best[1]:
            best = (k, var, step / se)
    return (best[0], best[2]) if best else None


def segment_means(values: list[float], weights: list[float], k: int) -> list[float]:
    """The loss of each of `k` equal consecutive segments, weighted by batch size as eval_loss is."""
    size = len(values) // k
    out = []
    for i in range(k):
        v, w = values[i * size:(i + 1) * size], weights[i * size:(i + 1) * size]
        total = sum(w)
        out.append(sum(a * b for a, b in zip(v, w)) / total if total > 0 else _mean(v))
    return out


@dataclass
class Phase:
    """One closed evaluation phase, on the host."""
    step: int
    mixed_loss: float
    acc: float | None
    values: list[float] | None  # per-call losses; None when the phase had more than MAX_CALLS
    weights: list[float] = field(default_factory=list)
    # per call: (lowest, highest target value, whether the call had several targets), or None
    targets: list[tuple[float, float, bool] | None] = field(default_factory=list)
    # per call: (correct predictions, predictions) of a classification loss, or None
    correct: list[tuple[float, int] | None] = field(default_factory=list)

    def accuracy(self, calls: range) -> float | None:
        """The accuracy of some of the calls (a split's), where each of them had one."""
        got = [self.correct[i] for i in calls] if len(self.correct) == len(self.weights) else [None]
        if not got or any(c is None for c in got) or not sum(n for _, n in got):
            return None
        return sum(c for c, _ in got) / sum(n for _, n in got)

    def sorted_by_label(self, k: int) -> bool:
        """Whether the calls look like a loader sorted by label rather than k splits: most batches
        hold one label value, or most of the k segments do."""
        t = [x for x in self.targets if x is not None]
        if not t or len(t) != len(self.values or ()):
            return False
        multi = [lo == hi for lo, hi, several in t if several]
        if multi and sum(multi) >= MAX_PURE * len(multi):
            return True
        size = len(t) // k
        segs = [t[i * size:(i + 1) * size] for i in range(k)]
        pure = [min(x[0] for x in seg) == max(x[1] for x in seg) for seg in segs]
        return sum(pure) >= MAX_PURE * k

    def several_sources(self) -> bool:
        """Whether the calls cannot be one loader's batches: a loader's are all one size but a
        smaller last one (full-batch evaluations of train, val and test: 1000, 300, 300)."""
        w = self.weights
        return len(w) >= 2 and (any(x != w[0] for x in w[:-1]) or w[-1] > w[0])

    @property
    def calls(self) -> int | None:
        return len(self.values) if self.values is not None else None


@dataclass
class Output:
    scalars: dict[str, list[tuple[int, float]]] = field(default_factory=dict)
    voids: list[tuple[list[str], list[int]]] = field(default_factory=list)  # (keys, steps) to drop
    notes: list[str] = field(default_factory=list)

    def add(self, key: str, step: int, value: float) -> None:
        self.scalars.setdefault(key, []).append((step, value))


MAX_HISTORY = 10_000  # mixed phases remembered for a later decision (a few floats each)


class SplitTracker:
    """The run-level decision and the series it produces, one flush at a time."""

    def __init__(self) -> None:
        self.structure: dict[int, int] = {}  # calls per phase -> number of splits
        self._seen: dict[tuple[int, int], int] = {}  # (calls, splits) -> phases that showed them
        self.names: dict[int, list[str | None]] = {}  # calls -> series name of each split
        self._history: list[tuple[int, int, dict[int, list[float]], list[str]]] = []
        self._overflow_said = False
        self._sources_said = False
        self._shapes: dict[tuple[float, ...], int] = {}  # input sizes of a phase's calls -> phases
        self._whole: dict[tuple[float, ...], int] = {}  # the same, for phases of one call per split
        # calls -> (step, split means, split accuracies) written under unnamed keys
        self._unnamed: dict[int, list[tuple[int, list[float], list[float | None]]]] = {}
        self._extra_said = False

    def phases(self, phases: list[Phase], user_keys: set[str],
               printed: dict[int, dict[str, float]]) -> Output:
        """The series to write for `phases`. `user_keys`: metrics the script logs or prints itself
        (never written from capture); `printed`: their loss values by step, which name the splits."""
        out = Output()
        found: dict[int, int] = {}
        for p in phases:
            if p.values is None or p.calls in self.structure:
                continue
            if self._whole_splits(p):
                found.setdefault(p.calls, p.calls)
                continue
            hit = detect_strength(p.values)
            if hit and not p.sorted_by_label(hit[0]):
                k, strength = hit
                self._seen[(p.calls, k)] = seen = self._seen.get((p.calls, k), 0) + 1
                if strength >= T_STRONG or seen >= 2:
                    found.setdefault(p.calls, k)
        for p in phases:  # a structure first seen in this flush applies to its earlier phases too
            if p.calls in found and p.calls not in self.structure:
                self._decide(p.calls, found[p.calls], phases, user_keys, printed, out)
        for p in phases:
            if p.values is None and not self._overflow_said:
                self._overflow_said = True
                out.notes.append(f"an evaluation phase made more than {MAX_CALLS} loss calls; traindx "
                                 "did not check whether it evaluated several data splits in turn")
            usual = self._usual_part(p)  # (every phase's shape counts towards the usual one)
            k = self.structure.get(p.calls) if p.calls is not None else None
            if k:
                means = segment_means(p.values, p.weights, k)
                if p.step in printed:
                    before = list(self.names[p.calls])
                    _match(means, printed[p.step], self.names[p.calls])
                    self._name_later(p.calls, before, user_keys, out)
                self._write_splits(p.calls, p.step, means, user_keys, out, p)
                continue
            if usual is not None and "eval_loss" not in user_keys:
                self._write_usual(p, usual, user_keys, out)
                continue
            written = []
            if "eval_loss" not in user_keys:
                out.add("eval_loss", p.step, p.mixed_loss)
                written.append("eval_loss")
            if p.acc is not None and "eval_acc" not in user_keys:
                out.add("eval_acc", p.step, p.acc)
                written.append("eval_acc")
            if written and not self._sources_said and p.several_sources():
                self._sources_said = True
                sizes = ", ".join(f"{w:g}" for w in p.weights[:MAX_SPLITS])
                out.notes.append(
                    f"an evaluation phase (step {p.step}) made {len(p.weights)} loss calls on inputs of sizes "
                    f"{sizes}{', ...' if len(p.weights) > MAX_SPLITS else ''}, not one loader's batches: "
                    "several data splits that traindx could not tell apart; where the script does not report "
                    "its validation loss itself, eval_loss and eval_acc are their mix (log it with "
                    "traindx.log(val_loss=...) or print 'val loss X')")
            ks = candidates(len(p.values)) if p.values is not None else []
            if p.values is not None and p.several_sources() and len(p.values) <= MAX_SPLITS:
                ks.append(len(p.values))  # (one full-batch call per split)
            if written and ks:
                means = {k: segment_means(p.values, p.weights, k) for k in ks}
                self._history.append((p.step, len(p.values), means, written))
                del self._history[:-MAX_HISTORY]
        return out

    def _whole_splits(self, p: Phase) -> bool:
        """Whether the phase is one full-batch call per split, the same sizes in the same order in
        MIN_USUAL phases: each call of its own size cannot be one loader's batches, and a size that
        repeats at its place every evaluation is a split (validation 270, test 450: averaged, a
        test set drawn elsewhere hid behind validation's)."""
        w = tuple(p.weights)
        if not 2 <= len(w) <= MAX_SPLITS or len(set(w)) < len(w) or not p.several_sources():
            return False
        self._whole[w] = seen = self._whole.get(w, 0) + 1
        return seen >= MIN_USUAL

    def _usual_part(self, p: Phase) -> slice | None:
        """The calls of `p` that make the run's usual evaluation (a shape of input sizes seen in
        MIN_USUAL earlier phases), when `p` made that evaluation plus calls of other sizes before
        or after it (for a one-call, full-batch evaluation: any other call), with no training step
        between: a final evaluation of the training or test split right after the last validation
        (fresh14: 450 validation images then the 60 training ones, averaged into a last eval loss
        11% below the validation's)."""
        if p.values is None or not p.weights or len(p.weights) > MAX_SHAPE:
            return None
        shape = tuple(p.weights)
        usual = max((s for s, n in self._shapes.items() if n >= MIN_USUAL and len(s) < len(shape)),
                    key=lambda s: (self._shapes[s], len(s)), default=None)
        self._shapes[shape] = self._shapes.get(shape, 0) + 1
        if usual is None:
            return None
        n = len(usual)
        whole = n == 1  # a full-batch evaluation is one call: a second is another evaluation
        if shape[:n] == usual and (whole or shape[n] != usual[-1]):
            return slice(0, n)
        if shape[-n:] == usual and (whole or shape[-n - 1] != usual[0]):
            return slice(len(shape) - n, len(shape))
        return None

    def _write_usual(self, p: Phase, usual: slice, user_keys: set[str], out: Output) -> None:
        """eval_loss (or the splits, where the usual calls evaluate several) and eval_acc from the
        usual calls' own losses and correct counts; the rest apart, as EXTRA_KEY."""
        def mean(values, weights):
            total = sum(weights)
            return sum(a * b for a, b in zip(values, weights)) / total if total > 0 else _mean(values)
        rest = [i for i in range(len(p.values)) if not usual.start <= i < usual.stop]
        n = usual.stop - usual.start
        if self.structure.get(n):
            self._write_splits(n, p.step, segment_means(p.values[usual], p.weights[usual],
                                                        self.structure[n]), user_keys, out,
                               p, usual.start)
        else:
            out.add("eval_loss", p.step, mean(p.values[usual], p.weights[usual]))
            acc = p.accuracy(range(usual.start, usual.stop))
            if acc is not None and "eval_acc" not in user_keys:
                out.add("eval_acc", p.step, acc)
        out.add(EXTRA_KEY, p.step, mean([p.values[i] for i in rest], [p.weights[i] for i in rest]))
        if not self._extra_said:
            self._extra_said = True
            out.notes.append(
                f"the evaluation at step {p.step} made the run's usual evaluation calls (inputs of "
                f"{', '.join(f'{w:g}' for w in p.weights[usual][:MAX_SPLITS])}) and {len(rest)} more on "
                f"inputs of other sizes (another split evaluated right after): eval_loss is of the "
                f"usual calls, the others are {EXTRA_KEY} (and eval_acc, where each call had one)")

    def _decide(self, calls: int, k: int, phases: list[Phase], user_keys: set[str],
                printed: dict[int, dict[str, float]], out: Output) -> None:
        self.structure[calls] = k
        names: list[str | None] = [None] * k
        for p in phases:  # the script's own printed/logged numbers name the splits
            if p.calls == calls and p.step in printed:
                _match(segment_means(p.values, p.weights, k), printed[p.step], names)
        self.names[calls] = names
        earlier = [h for h in self._history if h[1] == calls]
        self._history = [h for h in self._history if h[1] != calls]
        for keys in dict.fromkeys(tuple(h[3]) for h in earlier):
            out.voids.append((list(keys), [h[0] for h in earlier if tuple(h[3]) == keys]))
        for step, _, means, _ in earlier:
            self._write_splits(calls, step, means[k], user_keys, out)
        size = calls // k
        sizes = next((", ".join(f"{w:g}" for w in p.weights) for p in phases if p.calls == calls), "")
        each = f"{size} batches each" if size > 1 else f"one full-batch call each, of {sizes} inputs"
        if "eval_loss" in names:
            tail = "eval_loss is the validation loss the script reports, not their mix"
        else:
            shown = ", ".join(n or SPLIT_KEY.format(i + 1) for i, n in enumerate(names))
            tail = ("traindx cannot tell which one is validation, so eval_loss is left out "
                    f"(the splits are {shown}) — log it with traindx.log(val_loss=...) or print "
                    "'val loss X'")
        out.notes.append(f"each evaluation phase evaluated {k} data splits in turn ({each}); {tail}")

    def _write_splits(self, calls: int, step: int, means: list[float], user_keys: set[str],
                      out: Output, phase: Phase | None = None, first: int = 0) -> None:
        """One point per split; the validation split's accuracy too, from its own calls."""
        names = self.names.get(calls) or [None] * len(means)
        size = calls // len(means)
        accs = [phase.accuracy(range(first + i * size, first + (i + 1) * size)) if phase else None
                for i in range(len(means))]
        if None in names:  # kept to be renamed when a later print names the split
            kept = self._unnamed.setdefault(calls, [])
            kept.append((step, list(means), accs))
            del kept[:-MAX_HISTORY]
        for i, (name, value) in enumerate(zip(names, means)):
            key = name or SPLIT_KEY.format(i + 1)
            if key not in user_keys:  # a split the script reports itself: its numbers stand
                out.add(key, step, value)
            if key == "eval_loss" and accs[i] is not None and "eval_acc" not in user_keys:
                out.add("eval_acc", step, accs[i])

    def _name_later(self, calls: int, before: list[str | None], user_keys: set[str], out: Output) -> None:
        """A split named by a print after its first points were written as `eval_loss_splitK` (a
        script that prints its validation loss once, at the end): those points move to the name."""
        for i, (old, new) in enumerate(zip(before, self.names[calls])):
            if old is not None or new is None:
                continue
            key = SPLIT_KEY.format(i + 1)
            out.scalars.pop(key, None)  # this flush's points: written again below, under the name
            points = [(step, means[i], accs[i]) for step, means, accs in self._unnamed.get(calls, [])]
            if points:
                out.voids.append(([key], [step for step, _, _ in points]))
                for step, value, acc in points:
                    if new not in user_keys:
                        out.add(new, step, value)
                    if new == "eval_loss" and acc is not None and "eval_acc" not in user_keys:
                        out.add("eval_acc", step, acc)
            out.notes.append(f"{key} is {new}: the script's own printed number names it")


def _match(means: list[float], reported: dict[str, float], names: list[str | None]) -> None:
    """Name each split after the reported loss it equals (to print precision), if any."""
    gap = min((abs(a - b) for a, b in zip(means, means[1:])), default=math.inf)
    pairs = []
    for key, value in reported.items():
        if "loss" not in key or not math.isfinite(value) or not (
                key.startswith(("eval", "test")) or "val" in key):  # never the training loss
            continue
        j = min(range(len(means)), key=lambda i: abs(means[i] - value))
        diff = abs(means[j] - value)
        if diff <= min(0.25 * gap, 0.01 * abs(value) + 1e-3):
            pairs.append((diff, j, key))
    for _, j, key in sorted(pairs):
        if names[j] is None and key not in names:
            names[j] = key

"""The three-week unit: chapters, objectives, problem sets and workload of each week (one source for the
teachers' guide, the weekly sheets and the workload figures, which a test adds up)."""

from __future__ import annotations

#: hours per week outside the problem set: two 90-minute lectures, one problem class, reading the chapters
LECTURES_H, CLASS_H, READING_H, PROJECT_H = 3.0, 1.5, 2.0, 3.0

WEEKS = {
    1: {
        "chapters": [1, 2],
        "objectives": [
            "state the two-timescale result and what it does not need (many neurons, convexity)",
            "compute the exact loss L(a, u) of a network for a piecewise-constant target",
            "derive the smoothing floor Δ²η/56 and say why it is the best a captured jump can do",
            "explain why a C¹ smoothed step is needed (the ramp's second derivative jumps)",
        ],
        "set": ["intro-ex-symmetry", "intro-ex-steps", "intro-ex-init", "intro-ex-convex-in-a", "intro-ex-lazy",
                "setting-ex-constants", "setting-ex-constant-fit", "setting-ex-ramp", "setting-ex-floor"],
        "project": "A starts",
    },
    2: {
        "chapters": [3, 4],
        "objectives": [
            "derive the reduced dynamics of the positions from the envelope theorem",
            "integrate the pair dynamics and use its invariant d_L³ − d_R³",
            "bound the arrival time of the near neuron between 2d/Δ² and 8d/Δ²",
            "follow the proof: flanking pairs, capture, the smoothing floor, the probability of the condition",
            "evaluate the theorem's thresholds η₀, ε₀(η) for a start and say where genericity is needed",
        ],
        "set": ["sf-ex-spacing", "sf-ex-envelope", "sf-ex-invariant", "sf-ex-arrival", "sf-ex-proof-strict",
                "proof-ex-interval", "proof-ex-kappa", "proof-ex-probability", "proof-ex-interior",
                "proof-gen-ex-eta0", "proof-gen-ex-offset", "proof-gen-ex-symmetric"],
        "project": "A due; B starts",
    },
    3: {
        "chapters": [5, 6, 7],
        "objectives": [
            "reproduce the paper's experiments and read SGD against its ideal limit (within 2η)",
            "explain why equal stepsizes leave a jump uncovered",
            "read a phase diagram with Wilson intervals on proportions",
            "compare with the lazy regime: how many neurons a frozen network needs",
        ],
        "set": ["exp-ex-flight", "exp-ex-why-equal", "exp-ex-radius", "exp-ex-ramp", "beyond-ex-phase",
                "beyond-ex-refit", "beyond-ex-probability", "beyond-ex-lazy", "concl-ex-bound", "concl-ex-floor",
                "concl-ex-condition"],
        "project": "B due; C (optional)",
    },
}


def minutes(labels, catalogue: dict) -> int:
    """Total expected time of ``labels`` (``catalogue``: label -> minutes, from the chapters)."""
    return sum(catalogue[lab] for lab in labels)


def workload(week: int, catalogue: dict) -> dict:
    """Hours of week ``week``: lectures, problem class, reading, problem set, mini-project, and their total."""
    h = {"lectures": LECTURES_H, "problem class": CLASS_H, "reading": READING_H,
         "problem set": round(minutes(WEEKS[week]["set"], catalogue) / 60, 2), "mini-project": PROJECT_H}
    h["total"] = round(sum(h.values()), 2)
    return h

"""Student edition: make ``hide_solutions`` also remove *gated* solutions.

sphinx-exercise 1.2.1 with ``hide_solutions = True`` drops a ``{solution-start}`` directive but keeps
everything after it up to ``{solution-end}`` (so solution code cells stayed visible), and leaves the
``solution_end_node``, which the HTML writer does not know ("unknown node type" warning, fatal under
-W). Here, when ``hide_solutions`` is on, ``{solution-start}`` leaves a marker, and a transform
removes the marker, every sibling after it, and the matching end node. With ``hide_solutions`` off
this extension changes nothing.
"""

from __future__ import annotations

from docutils import nodes
from sphinx.transforms import SphinxTransform
from sphinx_exercise.directive import SolutionStartDirective
from sphinx_exercise.nodes import solution_end_node


class hidden_solution_start(nodes.Element):
    """Marker left by {solution-start} in the student edition."""


class StudentSolutionStart(SolutionStartDirective):
    def run(self):
        result = super().run()  # keeps sphinx-exercise's gated-structure bookkeeping
        if self.env.app.config.hide_solutions:
            return [hidden_solution_start()]
        return result


class RemoveGatedSolutions(SphinxTransform):
    default_priority = 9  # before sphinx-exercise's MergeGatedSolutions (10)

    def apply(self):
        if not self.config.hide_solutions:
            return
        for marker in list(self.document.findall(hidden_solution_start)):
            parent = marker.parent
            start = parent.index(marker)
            end = None
            for i in range(start + 1, len(parent.children)):
                if isinstance(parent.children[i], solution_end_node):
                    end = i
                    break
            if end is None:  # sphinx-exercise reports the malformed structure itself
                parent.remove(marker)
                continue
            for child in parent.children[start : end + 1]:
                parent.remove(child)
        # an end node left without a start (should not happen) must not reach the writer
        for node in list(self.document.findall(solution_end_node)):
            node.parent.remove(node)


def setup(app):
    app.setup_extension("sphinx_exercise")
    app.add_node(hidden_solution_start)
    app.add_directive("solution-start", StudentSolutionStart, override=True)
    app.add_transform(RemoveGatedSolutions)
    return {"parallel_read_safe": True, "parallel_write_safe": True, "version": "1.0"}

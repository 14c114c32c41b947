"""Steps of a training loop that updates its parameters by hand, with no torch.optim optimiser
(`p -= lr * p.grad` under no_grad, `p.data.add_(...)`). There is no optimiser step to hook, so a
step is one backward pass, seen through post-accumulate-grad hooks on the leaves the first loss
depends on, or through the gradients torch.autograd.grad hands back (a loop with no backward()).

Armed at the first training loss seen before any optimiser has stepped; the first optimiser step
disarms it for good (a normal loop pays for one backward). The loop is taken to be manual only on
evidence: after a backward, the weights changed before the next loss or backward with no optimiser
step in between (gradient accumulation with an optimiser changes nothing, and waits). From then on a
step closes at the end of its backward pass; its update is measured when the next loss or backward
begins (the script has applied it by then), so its parameter row is held back until then."""
from __future__ import annotations

import torch

from .stats import param_stats, update_norms

MAX_GRAPH_NODES = 200_000  # the one walk of the first loss' graph stays bounded
# Weights are copied on sampled steps to measure the update; before the loop is known to be
# manual (the first backward of every run), only models up to this size are copied.
EAGER_COPY_ELEMENTS = 20_000_000
FINGERPRINT = 8  # elements per leaf compared to see a hand-made update


def graph_leaves(loss: torch.Tensor) -> list[torch.Tensor]:
    """The tensors that accumulate a gradient from `loss` (parameters, hand-made weights)."""
    leaves, seen, todo = [], set(), [loss.grad_fn]
    while todo and len(seen) < MAX_GRAPH_NODES:
        node = todo.pop()
        if node is None or node in seen:
            continue
        seen.add(node)
        var = getattr(node, "variable", None)  # AccumulateGrad nodes hold their leaf
        if isinstance(var, torch.Tensor):
            leaves.append(var)
        todo.extend(n for n, _ in node.next_functions)
    return leaves[::-1]  # found from the loss back: the input end first, as a model lists them


class ManualSteps:
    def __init__(self, recorder):
        self.rec = recorder
        self.armed = False  # looked for leaves once (whether or not any were found)
        self.confirmed = False
        self._handles: list = []
        self._leaves: list[torch.Tensor] = []
        self._copy_ok = False
        self._grad_seen = False
        self._in_backward = False
        self._norms: dict[int, torch.Tensor] = {}  # this backward's gradient norm per leaf
        self._saved: dict[int, tuple] = {}  # sampled steps: leaf -> (leaf, weights before, grad)
        self._prints: list[tuple[torch.Tensor, torch.Tensor]] = []  # leaf, first elements
        self._held: tuple | None = None  # (step, names, stats, leaves, weights before)
        self._by_value = False  # gradients come back from torch.autograd.grad, not in .grad
        self._raw_weights: dict[int, str] = {}
        self._measure_next = False  # the next forward of a raw-tensor model is a sampled step's
        # the script builds new parameter tensors at each update (`params = {k: p - lr * g}`,
        # JAX-style): the leaves of the next backward replace the last one's, position by position
        self._replacing = False
        self._heard = False  # a watched leaf got a gradient in this backward pass
        # the leaves watched got no gradient from the last backward() and never moved: they were
        # a probe's (gradcheck's inputs), not the training's; the next backward() arms anew
        self.stale = False

    @property
    def watching(self) -> bool:
        return bool(self._handles) or self._by_value

    @property
    def in_backward(self) -> bool:
        return self._in_backward

    def arm(self, loss: torch.Tensor) -> None:
        self.armed = True
        if loss.grad_fn is None:
            return
        self._leaves = graph_leaves(loss)
        self._describe_unnamed()
        self._copy_ok = sum(p.numel() for p in self._leaves) <= EAGER_COPY_ELEMENTS
        self._handles = [p.register_post_accumulate_grad_hook(self._on_grad) for p in self._leaves]

    def _describe_unnamed(self) -> None:
        """Hand-made weight tensors belong to no module: their shapes are written (as a model's
        are), so the weight matrices among them are judged like a layer's."""
        known = set(self.rec._param_names)
        raw = [p for p in self._leaves if id(p) not in known]
        if self.rec._roots:  # beside a module model, a plain tensor needing a gradient is an input
            raw = [p for p in raw if isinstance(p, torch.nn.Parameter)]  # (a saliency probe), no weight
        # the weight matrices of a model made of raw tensors, whose products are its layers
        self._raw_weights = {id(p): self.rec._param_name(p) for p in raw if p.dim() >= 2} \
            if raw and not self.rec._roots else {}
        if raw:
            shapes = {self.rec._param_name(p): list(p.shape) for p in raw}
            self.rec.matrices |= {name for name, shape in shapes.items() if len(shape) >= 2}
            self.rec.writer.event("model", root="tensors", modules=[], param_shapes=shapes,
                                  total_params=sum(p.numel() for p in raw))

    def stale_for(self, by_value: bool) -> bool:
        """The leaves watched were a probe's, not the training's: a backward() reached none of
        them, or one comes while only gradients taken as values (gradcheck's) were watched; never
        once the loop is known to be manual."""
        return not self.confirmed and (self.stale or (self._by_value and not by_value))

    def rearm(self) -> None:
        """Forget leaves that were never the training's (see `stale`): the next loss arms anew."""
        self.disarm()
        self.armed, self.stale = False, False

    def disarm(self) -> None:
        """An optimiser stepped: its hooks count the steps from now on."""
        self.rec.end_hand_made()
        self._raw_weights, self._measure_next = {}, False
        for h in self._handles:
            h.remove()
        self._handles, self._leaves, self._prints, self._held = [], [], [], None
        self._by_value = False
        self._norms, self._saved, self._grad_seen = {}, {}, False

    # ------------------------------------------------------------- events
    def before_loss(self) -> None:
        """A training loss is about to be counted: any update of the last backward is done (where
        the update builds new tensors, they are known only at the next backward: settled there)."""
        if self._replacing:
            return
        with self.rec._guard("manual steps") as ok:
            if ok:
                self._settle()

    def finish(self) -> None:
        """The run ends: the last step's update is as done as it will be."""
        self.rec.end_hand_made()
        self.before_loss()

    def take_grads(self, leaves: list[torch.Tensor], grads: list) -> None:
        """Gradients handed back as values by torch.autograd.grad (nothing lands in .grad): one
        backward pass of a loop that updates its tensors by hand."""
        with self.rec._guard("manual steps") as ok:
            if not ok:
                return
            if not self.armed:
                self.armed = True
                self._leaves = leaves
                self._describe_unnamed()
                self._copy_ok = sum(p.numel() for p in leaves) <= EAGER_COPY_ELEMENTS
            elif not self._by_value:  # armed at the loss: the script's own order from now on
                self._leaves = leaves
            elif self._replaced_by(leaves):
                self._adopt(leaves)
            self._by_value, self.stale = True, False
            self._settle()
            self._prints = []
            for p, g in zip(leaves, grads):
                if isinstance(g, torch.Tensor):
                    self._take(p, g.detach())
        self._backward_done()
        self.after_backward()

    def _replaced_by(self, leaves: list[torch.Tensor]) -> bool:
        """`leaves` are new tensors in the places of the last backward's (same count and shapes,
        none of them the same object): the script rebuilt its parameters in its update."""
        old = self._leaves
        return len(old) == len(leaves) and all(a.shape == b.shape for a, b in zip(old, leaves)) and \
            not any(a is b for a, b in zip(old, leaves))

    def _adopt(self, leaves: list[torch.Tensor]) -> None:
        """The new tensors take the old ones' names and places: in the parameter names, the
        fingerprints that show an update, the weights saved to measure it, the step held back."""
        self._replacing = True
        new = {id(a): b for a, b in zip(self._leaves, leaves)}
        names = self.rec._param_names
        for a, b in zip(self._leaves, leaves):
            if id(a) in names:
                names[id(b)] = names.pop(id(a))
            if id(a) in self._raw_weights:
                self._raw_weights[id(b)] = self._raw_weights.pop(id(a))
        self._prints = [(new.get(id(p), p), fp) for p, fp in self._prints]
        saved = {}
        for p, before, g in self._saved.values():
            q = new.get(id(p), p)
            saved[id(q)] = (q, before, g)
        self._saved = saved
        if self._held is not None:
            step, names_held, stats, held, before = self._held
            self._held = (step, names_held, stats, [new.get(id(p), p) for p in held], before)
        self._leaves = leaves

    def _on_grad(self, p: torch.Tensor) -> None:
        with self.rec._guard("manual steps") as ok:
            if not ok or p.grad is None:
                return
            self._heard = True
            if not self._in_backward:  # the first leaf of a backward pass
                self._in_backward = True
                self._settle()
                self._prints = []
                torch.autograd.Variable._execution_engine.queue_callback(self._backward_done)
            self._take(p, p.grad.detach())

    def _take(self, p: torch.Tensor, g: torch.Tensor) -> None:
        """One leaf's gradient of this backward pass."""
        self._grad_seen = True
        # the gradient after the last accumulation into it (accumulating loops overwrite)
        self._norms[id(p)] = torch.linalg.vector_norm(g.float())
        if (self.confirmed or self._copy_ok) and self.rec.schedule(self.rec.step):
            self._saved[id(p)] = (p, p.detach().clone(), g.clone())
        if not self.confirmed:
            self._prints.append((p, p.detach().flatten()[:FINGERPRINT].clone()))

    def _backward_done(self) -> None:
        """End of a backward pass. Once the loop is known to be manual, its step ends here;
        before that, the next loss or backward decides (see _settle)."""
        self._in_backward = False
        if self.confirmed and self.watching:
            with self.rec._guard("manual steps") as ok:
                if ok:
                    self._close_step(measure_update=False)

    # ------------------------------------------------------------- steps
    def _settle(self) -> None:
        """Measure the update of the step held back, or decide whether the loop is manual."""
        if self._held is not None:
            step, names, stats, leaves, before = self._held
            self._held = None
            self.rec._param_buf.append((step, names, stats, update_norms(leaves, before)))
        if self.confirmed or not self._grad_seen:
            return
        if not any(not torch.equal(p.detach().flatten()[:FINGERPRINT], fp) for p, fp in self._prints):
            return  # nothing moved yet (gradient accumulation, or an optimiser still to step)
        self.confirmed = True
        self._prints = []
        self.rec.writer.event("optimizer", hparams={"type": "manual update (no torch.optim)"})
        self.rec.writer.event("note", step=self.rec.step, message=(
            "this script updates its parameters by hand (no torch.optim): a step is one backward "
            "pass; no learning rate is known"))
        self._close_step(measure_update=True)

    def _close_step(self, measure_update: bool) -> None:
        rec = self.rec
        # in the model's order, input end first (a backward pass reaches the output layer first)
        order = {pid: i for i, pid in enumerate(rec._param_names)}
        saved = sorted(self._saved.values(), key=lambda e: order.get(id(e[0]), len(order)))
        if saved:
            names = tuple(rec._param_name(p) for p, _, _ in saved)
            before = [b for _, b, _ in saved]
            stats = param_stats(before, [g for _, _, g in saved],
                                full=rec.step < rec.schedule.dense)
            leaves = [p for p, _, _ in saved]
            if measure_update:
                rec._param_buf.append((rec.step + 1, names, stats, update_norms(leaves, before)))
            else:
                self._held = (rec.step + 1, names, stats, leaves, before)
        norms = list(self._norms.values())
        rec._pending_gnorm = torch.linalg.vector_norm(torch.stack(norms)) if norms else None
        self._norms, self._saved, self._grad_seen = {}, {}, False
        rec._end_step(None)
        # the next forward is a sampled step's: measured once the backward pass has returned (a
        # mode entered inside the autograd engine's callback does not outlive it)
        self._measure_next = bool(self._raw_weights) and rec.schedule(rec.step)

    def backward_returned(self) -> None:
        """A Tensor.backward() returned: before the loop is known to be manual, one that reached
        none of the leaves watched makes them stale."""
        if not self.confirmed:
            self.stale, self._heard = not self._heard, False
        self.after_backward()

    def after_backward(self) -> None:
        """The backward pass returned to the script: the next training forward may be measured."""
        if self._measure_next:
            self._measure_next = False
            shapes: dict[tuple, list[str]] = {}
            if self._replacing:  # the next forward's weights are tensors the update is yet to build
                for p in self._leaves:
                    if id(p) in self._raw_weights:
                        shapes.setdefault(tuple(p.shape), []).append(self._raw_weights[id(p)])
            self.rec.start_hand_made(self._raw_weights, shapes)

"""Every detector threshold and its default, in one place. Change a value here deliberately:
tests/test_thresholds.py pins them, and the scenario suite (benchmarks/scenarios.py) measures them.

All thresholds are relative (ratios, fractions, orders of magnitude) so that they hold whatever the
loss's scale, the model's size or the learning rate's units."""

DEFAULTS: dict[str, dict[str, float]] = {
    "non_finite": {},
    "overfitting": {
        "min_evals": 3,          # evaluation points needed
        "min_rise": 0.10,        # eval loss rose this fraction above its best ...
        "patience": 2,           # ... on each of this many evaluations since (a sustained rise) ...
        "min_given_back": 0.10,  # ... giving back this fraction of what it had learned (untrained
                                 # loss -> best): a rise of two small numbers is not evidence
                                 # (was: any 10% rise; healthy runs that fit to ~0 tripped it).
                                 # Corpus calibration half: healthy runs give back <= 0.005,
                                 # planted overfitting >= 0.15; 0.10 sits between with a margin
        "acc_margin": 0.01,      # eval accuracy this far below its best = no longer at its best; while
                                 # at its best a rise must give back half the learning (confidence,
                                 # not worse predictions)
        "train_still_falls": 0.02,  # while train loss fell at least this fraction over the same span
        "doubled_rise": 1.0,     # an epoch log whose best eval is its first (what was learned before it
                                 # is unknown): a rise counts only when the eval loss ends this far
                                 # above that best (it doubled) with no eval-accuracy gain since; a
                                 # log of a memorising run (eval 2.26 -> 4.67, accuracy at chance) read
                                 # healthy before; healthy fine-tunes whose eval loss creeps up after
                                 # epoch 1 rise 20-80% and gain accuracy
        "acc_gap": 0.15,         # or: train accuracy this many error-rate points above eval, eval stalled
        "loss_gap": 0.5,         # or: eval stalled this far back up from the train loss towards the
                                 # untrained loss (replaces a ratio eval/train >= 2, which two small
                                 # losses meet on every healthy run that fits its training data)
        "loss_gap_of_untrained": 0.25,  # ... with the gap (eval - train) at least this share of the
                                 # untrained loss: large in absolute terms. A noisy target's regressor
                                 # (train 0.36, eval stalled at its noise floor 0.445, untrained 0.50)
                                 # and an RNN log are "back up" 54-59% with gaps of 16% (healthy: no
                                 # overfitting); planted overfitting found by this criterion: 74-79%
        "min_train_fit": 0.05,   # no gap without a fit: the train loss must be this fraction below the
                                 # untrained/chance loss (a BERT on shuffled labels sat 0.03% below
                                 # ln 2 and its noisy per-batch train accuracy made a "gap"); planted
                                 # overfitting cases fit their training data far below chance
    },
    "vanishing_gradients": {
        "orders": 2.0,           # relative gradient (|g|/|w|) falls this many orders of magnitude to the input
        "error_orders": 3.0,
        "min_layers": 3,
        "zero_grad": 1e-12,      # relative gradient below this counts as no gradient at all
        "ample_rel": 1.0,        # input-side |g|/|w| this large is no vanishing, whatever the profile (as
                                 # exploding's huge_rel: a step of lr 1 would replace the weights;
                                 # fresh16: a hook x10 per layer, 4.7e8 at the input, 9e11 at the output)
    },
    "exploding_gradients": {
        "growth_orders": 2.0,    # total gradient norm grows this many orders above its early median
                                 # (a sustained level: the highest running median over 2% of the steps,
                                 # now that the norm is recorded on every step) ...
        "growth_loss_ratio": 0.9,  # ... while the train loss there is still >= this fraction of its start
                                   # (or grew 3 orders, or turned NaN): corpus healthy transformers grow
                                   # 2.2 orders with a falling loss
        "depth_orders": 3.0,     # or relative gradient grows this many orders toward the input
        "spike_rel": 100.0,      # or |g|/|w| of a layer reaches this, then gradients turn non-finite
        "spike_orders": 2.5,     # or one step's norm this many orders above its typical level: the
                                 # larger of the median and the early level, since a late phase where
                                 # gradients shrink towards a zero loss is no baseline (healthy
                                 # scenarios reach 1.24 orders at most: 17x, a GRU late in training)
        "init_spike_loss_drop": 0.1,  # ... a spike in the first tenth of the steps, against the level the
                                 # norm settles to after it, only where the loss then fell this share
                                 # below its level at the spike, as a badly scaled start's does; a norm
                                 # that collapses while the loss stays put is a stationary point
                                 # (fresh10: a logistic regression at its optimum, 7e-9 after 0.25)
        "joint_orders": 1.0,     # or it grows this many orders above its first points ...
        "joint_loss_jump": 10.0,   # ... while the train loss's sustained level rises this many times
                                   # above its own first points: both blew up together (an LSTM at SGD
                                   # lr 20 without clipping: 1.4 orders and 29x within 6 steps, hidden
                                   # in the early level; healthy runs' losses never rise 10x)
        "huge_rel": 1.0,         # or |g|/|w| at least this from the first steps (a step of lr 1 would
                                 # replace the weights) ...
        "huge_layers": 0.5,      # ... on more than this fraction of the hidden weight layers (most:
                                 # 1 of 2 was enough before; fresh15's GRU input weights over one
                                 # feature, |g|/|w| 1.3 under SGD at 1e-3, the other layer 0.06),
        "huge_trained_drop": 0.5,  # ... unless the train loss then fell at least this fraction: a small
                                   # regression net's MSE gradients start near |w| (targets of unit
                                   # scale) and train fine under Adam (fresh3: 1.7x, loss -95%) ...
        "huge_calm_steps": 0.01, # ... or, under Adam or a kin, whose measured steps (median |dw|/|w|) stay
                                 # at most this (an order above the healthy ~1e-3, climb_ratio's line):
                                 # large gradients made no large steps (fresh16: a summed-loss VAE at a
                                 # too-low lr, |g|/|w| 25, steps 4e-5, its loss falling 10%)
        "huge_stuck_drop": 0.1,  # ... unless the loss ended within this share of its chance level (where
                                 # one is known): stuck there, the calm steps went where scrambled
                                 # gradients pointed (fresh11: a tanh RNN at gain 3, |g|/|w| 180, at ln 2)
        "huge_rel_any": 10.0,    # ... which does not excuse |g|/|w| an order above 1: exploding whatever
                                 # the loss does
        "huge_loss_over_chance": 1e4,  # nor does Adam's later training excuse a first loss this many
                                 # times the chance level (the forward pass blew up): a loss summed
                                 # over a batch, not averaged, is batch-size times it (<= ~1e3; the
                                 # VAE Adam excuses: |g|/|w| 14); fresh15's ReLU RNN: 1.4e5x ln 2
        "huge_rel_blown": 1e4,   # ... nor gradients this many times the weights (a step of lr 1e-4
                                 # would replace them; the VAE's summed loss gave 14; fresh15's IRNN
                                 # at a recurrent gain of 1.3: 4e5 on its hand-written MSE)
        "first_steps": 3,        # the sampled steps that count as "the first steps"
        "min_layers": 3,
    },
    "non_convergence": {
        "min_steps": 30,
        "min_epochs_spanned": 3, # ... or, for a log whose points are logging intervals of unknown steps
                                 # (the Trainer's printed dicts carry only a fractional epoch), points
                                 # spanning this many epochs: passes over the data enough to have learned
                                 # (chosen a priori: as many as the fewest-epoch fine-tunes of the corpus)
        "min_drop": 0.10,        # train loss must fall at least this fraction from start to end
        "chance_margin": 0.9,    # final loss above this fraction of chance-level loss ln(C) ...
        "acc_margin": 0.03,      # ... or accuracy within this of the majority-class rate
        "learned_share": 0.5,    # not claimed when the (held-out first) error rate ends at most this share
                                 # of the majority-class error: halfway from "predicts the prior" to
                                 # perfect is learning, whatever a mixup/augmented train loss does
                                 # (fresh2: a mixup ResNet at eval acc 0.925 read "train loss rose")
        "sorted_purity": 0.9,    # data sorted by class: the median sampled train batch is at least this
                                 # share one class ...
        "sorted_pool": 0.75,     # ... while its classes pooled over those batches have a majority of at
                                 # most this (shuffled batches of 16+ labels sit near the pooled share:
                                 # 0.5 pooled gives ~0.6 per batch of 16; a skewed task is pure in both)
        "sorted_min_labels": 16,  # ... in batches of at least this many labelled targets
        "motionless_points": 8,  # an epoch log whose train and eval losses are identical to every digit
                                 # (3 or more significant) this many epochs running: weights that never
                                 # change (fresh12: an optimiser built over a stale copy of the model)
    },
    "learning_rate_too_high": {
        "high_ratio": 0.05,      # update/weight ratio |dw|/|w| (median over layers and steps) this
                                 # far above the ~1e-3 rule of thumb (1.7 orders) ...
        "diverge_factor": 1.5,   # ... with the train loss ending this many times its start, or non-finite,
        "rebound": 1.5,          # ... or ending this many times its best (smoothed) level: it got worse again,
        "rebound_share": 0.1,    # ... having given back this share of its fall from start to best (a loss
                                 # near zero that ends 2.8x its best, 0.06 vs 0.02 from 1.4, gave back 3%:
                                 # noise of tiny batches, fresh2 fine-tune; a warm-up peaking too high
                                 # from ln 10 to 0.5 and back to 0.75 gives back 14%)
        "eval_rebound": 1.1,     # ... and, where an eval loss is logged, it ends (median of its last three)
                                 # at least this far above its best: the held-out loss confirms the model
                                 # got worse (fresh2: a batch-4 fine-tune whose train loss ended 2.8x its
                                 # best while the eval loss ended at its best, acc 0.915)
        "max_roughness": 1.0,    # ... (a rebound needs a level: not when the loss's median batch-to-batch
                                 # change in its late half is this many times its level; healthy
                                 # convergence stays well below 0.5, a CutMix + focal-loss CNN whose
                                 # batches alternate between ~0.4 and ~0.015 is at 3.0; chosen a priori:
                                 # changes as large as the level itself)
        "min_drop": 0.10,        # ... or falling less than this fraction from start to end
        "jump_factor": 10.0,     # ... or jumping an order of magnitude above its start (a 1e16 loss
                                 # that comes back down is still a diverging run)
        "early_ratio": 1.0,      # or: the first updates move the weights by their own norm: the
                                 # weights are thrown away whatever the loss does (error; seen at
                                 # 1-1e5 with lr 10x-1e6x too high; healthy runs stay below ~0.1)
        "extreme_ratio": 0.2,    # or: the typical update (median over layers and sampled steps) moves the
                                 # weights by this share of their norm (five steps replace them) ...
        "extreme_drop": 0.5,     # ... and the loss did not halve: steps that size are thrown around
                                 # unless the loss shows them training (kept runs of the corpus: healthy
                                 # at most 0.104, a label-smoothed DistilBERT tagger, the rest <= 0.051;
                                 # fresh9's inverse-sqrt peak of 1.0: 0.27 with a loss that fell 12%)
        "weight_growth": 10.0,   # or: a loss that diverged while the weights grew this many times their first
                                 # norm (median over the weight layers): steps too large for the weights'
                                 # scale inflate it, so |dw|/|w| looks moderate (fresh9: SGD momentum 0.999
                                 # at lr 0.05, an effective step of 50: weights 38-220x, loss 1.2 -> 10.3,
                                 # ratios 0.006-0.018); healthy runs grow their weights 1-3x
        "lbfgs_lr": 1.0,         # LBFGS with no line search: its lr multiplies the quasi-Newton step (lr 1
                                 # by default, the step the curvature asks for); above it, with a loss
                                 # that diverged, the lr is to blame (fresh12: lr 50, NaN at step 3)
        "first_steps": 3,        # the sampled steps that count as "the first updates"
        "init_grad_rel": 10.0,   # not claimed when |g|/|w| is this large at step 1, before any update:
                                 # then even lr 0.1 would replace the weights in one step, so no usual
                                 # lr is to blame (the init or the inputs are); a regression with
                                 # large targets starts near 1 and a too-high lr still is the cause
        "summed_over": 8,        # ... unless the loss's own scale made them so, with inputs at unit scale:
                                 # it sums this many values per batch (reduction="sum": gradients that
                                 # many times a mean's, and an lr tuned for a mean too high by as much;
                                 # fresh7's and fresh17's sums over 128-512 values: 11-36x the weights) ...
        "target_rms": 10.0,      # ... or it regresses targets whose root mean square is this (an order
                                 # above unit scale): errors, and gradients, start that large (fresh17:
                                 # kelvin at ~290, 52x the weights; fresh11: dollars at ~3e5) ...
        "loss_level": 100.0,     # ... or (no targets measured: a loss written by hand) it starts at this:
                                 # a mean over unit-scale targets starts near 1 (squared error) to ln C
                                 # (cross-entropy, 11 for 50k classes); an order above the largest. Each
                                 # then still needs first updates of early_ratio or a loss that blew up
        "min_points": 8,         # train-loss points needed
        "over_uniform": 1.5,     # or: a classifier's train loss ends this many times ln C (guessing every
                                 # class alike) ...
        "uniform_start": 1.2,    # ... after its first point was within this of it (as initialised), with
                                 # peak steps of high_ratio: worse than a guess (pytorch/examples'
                                 # word_language_model without clipping at lr 20: 9.8 = ln 18328 -> 18.2;
                                 # the corpus's broken runs that end so high end at 1.5-17x and start
                                 # at 0.9-1.1x; a pretrained model whose LoRA adapters never moved, at
                                 # 1.9x, moved nothing)
        "crushed": 0.5,          # not claimed when a weight decay shrank the weight layers under this share of
                                 # their first norm after first updates below high_ratio: |dw|/|w| grew
                                 # because |w| shrank (fresh8: decay 0.3 took the weights to 1e-21 of
                                 # their norm; the plan said "lower the lr"); as constrained_model_bias' shrunk
        "lr_climb": 2.0,         # or: the loss rebounded while the schedule raised the lr this many times
        "climb_ratio": 0.01,     # ... above its value at the loss's best, with peak steps of this share of
                                 # the weights' norm (an order above the ~1e-3 rule): the steps grew and
                                 # the loss got worse (fresh7: a min_lr typo that climbs 1e-3 -> 0.1
                                 # peaked at 0.0485, just under high_ratio, and read as dead units
                                 # and class imbalance); a healthy warm-up ends at its peak lr with the
                                 # loss still falling, and a decaying schedule never climbs
        "nan_rise": 2.0,         # a loss that turns NaN blames the lr (from the loss alone, with no update
                                 # ratios) only when its last finite points rose to this many times its
                                 # best first: lr explosions climb before they overflow; a NaN at the
                                 # loss's best is log(0) or a division by zero (fresh3 corpus: two
                                 # hand-written BCEs went NaN while falling; chosen a priori, not fitted)
        "eval_swing": 1.5,       # from curves alone: the eval loss changes by this factor (median) from one
                                 # evaluation to the next, i.e. by half its value: an eval over a fixed set
                                 # moves smoothly unless the weights are thrown around between evaluations
                                 # (saved healthy logs whose accuracy stayed put: <= 1.27; above 1.5 only
                                 # while accuracy climbed 41-48 points; the calibration half's skorch
                                 # lr=10 log: 1.63; the threshold chosen a priori as "by half its value")
        "error_kept": 0.9,       # ... while the eval error rate ends at this fraction of its first value or
                                 # more: the model did not learn (a climbing accuracy explains the swing)
        "swing_points": 5,       # evaluations needed for the swing
        "acc_collapse": 0.25,    # a log without per-layer data: the accuracy (train, else held-out) ends
                                 # this far below its best (median of 3 points against the last fifth's)
                                 # with a finite loss: the steps undid what was learned (healthy runs of
                                 # the eight sets lose <= 0.125, per-batch noise of small batches; lr too
                                 # high 0.27-0.78; a NaN's collapse is non_finite's, excluded)
        "adaptive_lr": 0.03,     # a log without per-layer data, under Adam or a kin named by the log
                                 # (Lightning's `lr-AdamW` column): each step moves every weight by up to
                                 # about the lr, and usual weights are 0.02-0.2 (1/sqrt(fan-in),
                                 # transformers' init 0.02), so a peak lr this high moves them by their
                                 # own size, with a loss that did not fall (`min_drop`) or rebounded.
                                 # Above high_ratio x 0.2 = 0.01 because Adam at 1e-2 trains small models
                                 # well (ten healthy corpus runs). An HF trainer_state.json names no
                                 # optimiser: the Trainer's default AdamW is taken (a warning saying so;
                                 # its training_args.bin's `optim` where saved): across the saved corpus
                                 # logs five planted lr faults found, one SGD at 0.05 passed through
                                 # `optimizers=` misread (fresh5), no healthy log flagged.
                                 # In a recorded run it counts with typical measured steps of climb_ratio
                                 # or more and a loss that did not fall (fresh8: a ViT under AdamW at 0.08
                                 # moved 0.044 per step, just under high_ratio, and sat at ln 4)
        "spike_factor": 2.0,     # an epoch log without per-layer data: an epoch's mean train loss at this
                                 # many times the median of the three epochs before ...
        "spike_share": 0.2,      # ... giving back this share of the loss's fall so far (a doubling of a
                                 # loss near zero is no spike), with the lr not raised there ...
        "spike_count": 3,        # ... this many times: a mean over a whole epoch of batches moves
                                 # smoothly unless steps throw the model out of where it was (176 saved
                                 # epoch logs: one healthy log with such epochs, 2, both at a warm
                                 # restart; fresh8's Adam at lr 0.2: 5; chosen a priori as "repeatedly")
    },
    "learning_rate_too_low": {
        "low_ratio": 1e-5,       # even the fastest-moving weight layer moves less than this per step (2 orders below 1e-3)
        "slow_drop": 0.5,        # and the train loss fell less than this fraction over the run
        "starved_orders": 2.0,   # layers moving this many orders slower than the fastest are starved of
                                 # gradient, not slowed by the lr (which scales all alike): left out of the
                                 # median, and when they are most layers the lr is not judged (corpus
                                 # too-low-lr runs: fastest/slowest <= 1.5 orders; four vanishing-gradient
                                 # runs read "lr too low" from their starved layers, one from its output
                                 # layer alone, fed by collapsed activations)
        "crawl_ratio": 3e-4,     # or: the median layer moves this little (half an order below 1e-3;
                                 # AdamW at lr 1e-5 moves 5e-5..1e-4, so a fixed 1e-5 missed adaptive
                                 # optimisers; corpus healthy runs whose loss fell < 50% move >= 3.5e-3) ...
        "crawl_still_falls": 0.2,  # ... and the loss still falls in its second half at least this
                                   # fraction of its first half's drop: a crawl, not a plateau (corpus
                                   # healthy runs that plateaued: <= 0.09)
        "total_move": 0.05,      # or: median ratio x steps at most this (an estimate of how far the
                                 # weights moved in all: 5% of their norm, what the healthy ~1e-3 does
                                 # in 50 steps; chosen a priori) ...
        "stayed_drop": 0.10,     # ... and the loss fell less than this: nothing happened at all (a
                                 # converged fine-tune may move little yet have fallen a lot)
        "at_chance_ratio": 1e-4,  # or: the median layer moves this little (an order below the healthy
                                  # 1e-3, chosen a priori) while the loss, not yet `stayed_drop` below the
                                  # chance level, still falls by `crawl_still_falls`: slowed, not stuck
                                  # (fresh2: a regressor at SGD 1e-5 that only fitted the targets' offset,
                                  # 5.8e-5; runs at chance from other causes, saturated / vanishing /
                                  # unnormalised / tiny-init, move 1.6e-4 to 9.8e-4); also with a total
                                  # move under `total_move` and a loss less than `slow_drop` below chance:
                                  # still near the initialisation (fresh6: an ESPCN at SGD 1e-4, 2e-5 per
                                  # step, 2% in all, 19% below chance; on the seven sets + fresh6 every run
                                  # so placed is a too-low lr but a converged linear model, whose gradient
                                  # collapsed: `converged_orders`)
        "converged_orders": 2.0,  # not claimed when the global gradient norm of the last quarter is this
                                  # many orders below its first tenth: a minimum reached (full-batch
                                  # gradient descent on a linear model, fresh6: 5.4 orders); one lr
                                  # too small to move the weights cannot shrink the gradient 100x
        "lr_travel": 5e-4,       # a log without per-layer data: the lr summed over the steps at most
                                 # total_move x 0.01, the smallest usual weight scale, with a loss that
                                 # fell less than `stayed_drop`: Adam moves a weight by at most about the
                                 # lr per step, SGD by lr x |g| (|g|/|w| above 10 is exploding, judged
                                 # apart), so no weight could have moved (an HF BERT log at lr 1e-7:
                                 # 6e-6; a fine-tune at 2e-5 over 125 steps sums to 2.5e-3)
        "line_r2": 0.9,          # a log without update ratios: the loss falls in a straight line (R^2 of
                                 # a line through it; noise around a plateau is near 0, a converging
                                 # curve bends) ...
        "line_still_falls": 0.5,   # ... as fast in its second half as half its first half's drop
        "min_loss_steps": 30,    # ... over at least this many steps (an epoch log: its `min_points`): the
                                 # length non_convergence needs to judge a loss; a first attempt that
                                 # crashed after 11 steps is a start in a straight line (fresh14)
        "collapse_orders": 4.0,  # or: the lr schedule took the lr this many orders below its peak ...
        "collapse_share": 0.34,  # ... within this share of the run, and the loss, not `stayed_drop`
                                 # below the chance level, fell less than `stayed_drop` after that:
                                 # a per-epoch StepLR stepped every batch (fresh7: 0.05 -> 1e-59 by a
                                 # tenth of the run). Healthy schedules reach their floor at the end
                                 # (cosine, OneCycle's lr/1e4) or fall 1-2 orders by then (step decay)
        "zero_grad": 1e-12,      # layers with no gradient at all say nothing about the learning rate
        "min_points": 8,
    },
    "dead_units": {
        "dead_frac": 0.5,        # a ReLU layer with at least this fraction of units <= 0 for a whole batch
        "error_frac": 0.9,       # ... error at this fraction (the layer passes almost nothing)
        "late_frac": 0.25,       # judged on the median of the last quarter of the sampled steps
        "silent_frac": 0.95,     # or a ReLU layer whose outputs are this fraction zero (late median): it
                                 # passes under 5% where a healthy one passes ~half (corpus healthy
                                 # runs: at most 52% zeros calibration, 56% validation)
        "big_update": 0.05,      # an update/weight ratio above this just before the units died is named as the cause
        "learned_share": 0.5,    # below error_frac, a note (info) when the error rate (held-out first) ends at
                                 # most this share of the majority-class error: the live units sufficed
                                 # (fresh: the MNIST-example CNN, Adadelta lr 1, 66% of fc1 dead, eval acc 99%)
    },
    "saturated_activations": {
        "sat_frac": 0.5,         # a sigmoid/tanh layer with this fraction of outputs within 2% of its bounds
        "error_frac": 0.9,
        "learned_share": 0.5,    # below error_frac, a layer that saturated after its first sampled step
                                 # (not as initialised) is a note when the error rate (held-out first)
                                 # ends at most this share of the majority class's, as dead_units' (fresh10:
                                 # a 4-unit tanh net fitting the flower data to 92%, its units at ±1)
    },
    "poor_initialization": {
        "depth_orders": 2.0,     # activation std of the compute layers changes this many orders from the first to the last
        "min_layers": 3,         # compute (Linear/Conv) layers needed for the depth test
        "constant_rel_std": 1e-4,  # a weight matrix whose std/rms is below this is constant (symmetry never broken)
        "init_loss_factor": 3.0,   # or: a classifier's loss before any update at least this many times ln(C)
                                   # (an uncommitted model starts at ln C, the course's check of the loss at
                                   # init); corpus healthy runs reach at most 2.7x (fine-tunes whose new head
                                   # starts on pretrained features), a GPT initialised at std 1.0: 5.0x
        "init_mse_factor": 10.0,   # or: a regression's MSE before any update at least this many times the
                                   # mean squared target (what predicting 0 costs: a model as initialised
                                   # predicts near 0), i.e. outputs ~3x the targets' rms; chosen a priori
                                   # as an order of magnitude (fresh9: embeddings at std 10, 2.6e5x)
        "max_input_std": 10.0,     # ... judged only when the input std is at most this (raw inputs make the
                                   # logits large whatever the weights: unnormalized_inputs' max_std)
        "dead_frac": 0.5,          # no depth-scale claim when a ReLU layer has this share of its units dead
                                   # before the first update (dead_units' own threshold): a bias cut the
                                   # signal, the weights did not shrink it (fresh4: hidden biases at -2
                                   # read "the scale collapses 2.1 orders"; a weight scale leaves about
                                   # half of a ReLU layer firing)
    },
    "unnormalized_inputs": {
        "max_std": 10.0,         # overall input std above this ...
        "min_std": 0.01,         # ... or below this (unit scale expected)
        "offset_ratio": 5.0,     # a feature's |mean| this many times the overall std (and >= 1)
        "spread": 100.0,         # per-feature std max/min (constant features ignored): scales differ 2 orders
        "sparse_zeros": 0.5,     # inputs at least this share zeros are sparse (bag-of-words, tf-idf,
                                 # one-hot): judged by their overall scale only (max_std), not by offsets
                                 # or spread, which centring would "fix" by destroying the sparsity
                                 # (fresh3: two bag-of-words MLPs, raw and log1p counts; a first rule
                                 # that also asked for whole numbers missed the log1p one)
        "bounded_abs": 2.0,      # inputs whose every value lies within +-this are min-max scaled (pixels in
                                 # [0, 1] or [-1, 1], a little noise on top): judged by their overall scale
                                 # only; their spread is near-constant border pixels (fresh2: a VAE on
                                 # [0, 1] sprites read "scales differ 7,850x"). Raw units exceed it.
    },
    "class_imbalance": {
        "skew_ratio": 5.0,       # most / least frequent class (present classes) at least this
        "acc_margin": 0.02,      # accuracy within this of the majority-class rate = predicts the majority
        "min_recall": 0.5,       # or some class recalled less often than this
        "recall_follows_frequency": 0.5,  # a class recalled under min_recall is the skew's harm only when
                                 # recall rises with class frequency (Spearman; the planted skews of the
                                 # corpus give 0.77-1.0); an untrained model (lr 1e-5 under SGD, recall
                                 # 0 on the most frequent class, 0.58 on a middling one) misses classes
                                 # whatever their frequency: not the skew
        "learned_share": 0.5,    # accuracy once this share of the way from the majority rate to 1: the rare
                                 # classes were learned, then lost (a min_lr typo raising the lr to 0.1
                                 # collapsed a model from 100% to the 35% majority: the lr, not the skew)
        "majority_share": 0.95,  # predictions this concentrated on the majority class = it predicts the
                                 # majority (only then may imbalance explain non_convergence)
        "min_samples": 50,       # labels needed before judging
        "acc_over_balanced": 0.2,  # a log without label counts: accuracy this far above the balanced
                                 # accuracy (mean per-class recall) it wrote = the frequent classes carry
                                 # it; chosen a priori, the acc_gap scale of a large absolute gap (a
                                 # fraud log: 97.1% against 51%; a hard class of a balanced task
                                 # lowers both alike)
    },
    "constrained_model_bias": {
        "fit_share": 0.5,        # a model whose train error ends above this share of the majority
                                 # class's error (train loss above this share of the chance level) has not
                                 # fitted its training data: halfway from "predicts the prior" to perfect,
                                 # as non_convergence's learned_share
        "plateau_drop": 0.05,    # ... with its train loss falling less than this over the last half: it has
                                 # converged where it is (still falling: more steps or the lr may help,
                                 # unless as much again, at that pace, would leave the fit above
                                 # fit_share: a 2-unit head at 64% of chance falling 11% a half, dropout
                                 # 0.9 at 72% falling 13%; healthy LoRA runs at 58-74% fall 33-39%)
        # ... and held back by one of (was: linear models only; fresh7/fresh8's frozen random
        # backbones, and weight-decay typos read as non_convergence):
        "frozen_share": 0.1,     # fewer than this share of the parameters trained: a head on frozen features
                                 # (a linear probe that fits well is not flagged: the fit comes first)
        "unoptimised_share": 0.5,  # or: this share of its parameters get gradients yet no optimiser holds
                                   # them (not a deliberate freeze, which stops their gradients): half the
                                   # model never updated (fresh12: a param-group filter on "backbone." for
                                   # a module named "encoder", 88% of the parameters)
        "shrunk": 0.5,           # weight decay held the weight layers under half their first norm (healthy
                                 # runs with decay grow or keep their norms while the loss falls)
        "heavy_dropout": 0.6,    # a dropout above the 0.5 the original paper used on hidden layers
        "narrow_units": 2,       # or: a fully connected hidden layer this narrow
                                 # (two ReLU units bound a region by two lines; authors plant it as the
                                 # textbook too-small model: fresh9, fresh11, fresh14, fresh15)
        # or, with no constraint named: the capacity probe (diagnose/capacity.py; the recorder's
        # training rows, tabular inputs only) does better than the model at its best:
        "probe_gap": 0.05,       # by at least this much error (a regression: this share of the targets'
                                 # variance) and three binomial standard errors of the probe's held-out
                                 # error; bayes_gap's 2-point min_gap plus the probe's own shortfall from
                                 # the Bayes error (a 2x64 MLP on <= 3072 rows, 500 steps)
        "probe_factor": 2.0,     # ... and the model errs at least twice as often as the probe: a gap that
                                 # is most of the model's error, not a shade of a noisy task's
    },
    "bayes_gap": {
        "min_gap": 0.02,         # a gap (in error rate) below this is not worth a finding
        "min_gap_no_bayes": 0.10,  # without a Bayes error only a variance gap this large (and larger than
                                   # the train error itself, an upper bound of the avoidable bias) is claimed
        "dominance": 1.5,        # the dominant gap is "clearly" dominant at this ratio to the next one
        "train_examples": 200,   # a recorded run's train error pools its last sampled batches until they
                                 # hold this many labels (at most its last half): the binomial standard
                                 # error of 200 is <= 3.5 points, well under the 10-point gaps claimed
                                 # without a Bayes error (batches of 4: a median of 1.0 at 92%, fresh14)
    },
    "loss_floor_gap": {
        "floor_factor": 2.0,     # a gap counts when the loss it adds is at least the stated floor itself (the
                                 # loss at least twice what the task allows): a regression's MSE has no
                                 # absolute scale, so the floor is the unit (fresh19: 2 hidden units at
                                 # 40x the noise MSE, 60 examples at 9x; a noise-floor fit at 1.08x)
    },
    "loss_mismatch": {
        "min_ratio": 1.5,        # a test loss this many times the validation loss: half again, far outside
                                 # the sampling noise of two splits drawn alike (a priori, not fitted;
                                 # fresh12: a GRU forecaster tested on new sites, MAE 0.44 vs 0.25)
        "min_gap_no_bayes": 0.10,  # ... larger than the variance (val - train) and, where the targets'
                                   # variance is known, at least this share of it (bayes_gap's 10 points)
    },
    # weights_*: a checkpoint's weights, without training (traindx inspect)
    "never_updated": {
        "min_backward": 8,       # backward passes with no optimiser step and no weight change: as many
                                 # as the steps a run needs to be judged at all (MIN_JUDGED_STEPS)
        "non_finite_share": 0.5,  # ... most of them on a NaN/Inf loss: that is why (a GradScaler skipped
                                  # every step), not a step the script never reaches
    },
    "weights_init": {
        "scale_orders": 1.0,     # std this many orders of magnitude from both He and Xavier: warning
        "scale_error_orders": 2.0,  # ... this many: error
        "duplicate_frac": 0.05,  # this fraction of a matrix's rows are copies of another row
    },
    "weights_dead_units": {
        "dead_frac": 0.05,       # this fraction of a layer's units dead: warning (fewer: info)
        "error_frac": 0.5,       # ... this fraction: error
        "bias_z": 5.0,           # bias below -bias_z * |row|: cannot fire for unit-scale inputs
    },
    "weights_non_finite": {},
}


def resolve(detector: str, overrides: dict | None = None) -> dict[str, float]:
    """The detector's thresholds with `overrides`; an unknown key, or a count that is not whole
    (`patience: 2.5`), is a ValueError: dropped or truncated, it would silently change a gate."""
    params = dict(DEFAULTS.get(detector, {}))
    for key, value in (overrides or {}).items():
        if key not in params:
            raise ValueError(f"thresholds of {detector}: unknown threshold {key!r}; "
                             f"known: {', '.join(params) or 'none'}")
        if isinstance(params[key], int) and float(value) != int(value):
            raise ValueError(f"thresholds of {detector}: {key} must be a whole number, got {value!r}")
        params[key] = type(params[key])(value)
    return params

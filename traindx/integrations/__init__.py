"""Callbacks for the frameworks people train with: Lightning, Hugging Face `Trainer`, Keras 3
(torch backend) and Ignite. Each records with the same recorder as `traindx run`, writes a normal
run directory, and prints the diagnosis at the end of fit. Importing `traindx.integrations.X`
imports that framework; nothing else does."""

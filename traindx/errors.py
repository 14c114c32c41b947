"""One error type for bad input: the CLI prints it as one line and exits with code 2."""


def one_line(text: str) -> str:
    """`text` with its line breaks shown, not taken: a name that holds one (a run directory called
    "r<newline>::warning::x") must not start a line of its own in a CI log, where it would be a command."""
    return text.replace("\r", "\\r").replace("\n", "\\n")


class InputError(Exception):
    """A file or argument traindx cannot use. The message names the file and the problem."""

    def __init__(self, path: object, problem: str):
        self.path = str(path)
        self.problem = problem
        super().__init__(f"{one_line(self.path)}: {one_line(problem)}")

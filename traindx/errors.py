"""One error type for bad input: the CLI prints it as one line and exits with code 2."""


class InputError(Exception):
    """A file or argument traindx cannot use. The message names the file and the problem."""

    def __init__(self, path: object, problem: str):
        self.path = str(path)
        self.problem = problem
        super().__init__(f"{self.path}: {problem}")

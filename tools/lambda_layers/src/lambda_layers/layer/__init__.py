"""What a layer is: its spec, its contents (tree or zip), and every check of a layer or a stack."""

"""The command line of the asset imports (``commands.py``); the imports are in
:mod:`assetmap.register.imports`."""

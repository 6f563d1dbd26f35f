"""
Internal implementation of yuma_simulation.

This project uses ApiVer, and as such, all imports should be done from v* submodules.
"""

"""
Public interface of the yuma_simulation package.
"""

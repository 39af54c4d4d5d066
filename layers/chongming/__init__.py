"""The embedded Chongming default layers."""

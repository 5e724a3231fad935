# tests/actions: unit tests of the action client, and integration against
# payops-sim through act-driver.

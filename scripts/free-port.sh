#!/usr/bin/env bash
# Prints the first loopback TCP port at or above $1 that nothing listens on.
port=${1:-54330}
while (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; do port=$((port + 1)); done
echo "$port"

# A link between two network namespaces joined by a veth pair, shaped with tc tbf (sourced by
# teleport.sh and experiments.sh, not run). The kernel here has no netem: only rate, no latency.
#   link_up                 creates namespaces $link_src (169.254.250.1) and $link_dst (.2)
#   link_shape RATE         tbf RATE on both ends ("none": unshaped); 80mbit = the report's 10 MB/s
#   link_bytes              bytes through the destination's end, both directions (interface counters)
#   link_down               removes both namespaces (and with them the veth pair)
link_src=vmt-src-$$
link_dst=vmt-dst-$$
link_a=vmt-a-$$
link_b=vmt-b-$$
link_source_ip=169.254.250.1

link_up() {
  ip netns add "$link_src"
  ip netns add "$link_dst"
  ip link add "$link_a" netns "$link_src" type veth peer name "$link_b" netns "$link_dst"
  ip -n "$link_src" addr add 169.254.250.1/24 dev "$link_a"
  ip -n "$link_dst" addr add 169.254.250.2/24 dev "$link_b"
  ip -n "$link_src" link set lo up
  ip -n "$link_dst" link set lo up
  ip -n "$link_src" link set "$link_a" up
  ip -n "$link_dst" link set "$link_b" up
}

link_shape() { # RATE
  local ns dev
  for ns in "$link_src:$link_a" "$link_dst:$link_b"; do
    dev=${ns#*:}; ns=${ns%%:*}
    tc -n "$ns" qdisc del dev "$dev" root 2>/dev/null || true
    [ "$1" = none ] || tc -n "$ns" qdisc add dev "$dev" root tbf rate "$1" burst 256kb latency 50ms
  done
}

link_bytes() {
  ip -n "$link_dst" -s -j link show "$link_b" |
    python3 -c 'import json,sys; s=json.load(sys.stdin)[0]["stats64"]; print(s["rx"]["bytes"] + s["tx"]["bytes"])'
}

link_down() {
  ip netns del "$link_src" 2>/dev/null || true
  ip netns del "$link_dst" 2>/dev/null || true
}

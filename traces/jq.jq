# Builds an order book in memory, then groups, sorts, aggregates and re-serializes it:
# jq's values are reference-counted heap objects, so every step is real malloc traffic.
def order($i):
  { id: $i,
    customer: "customer-\($i % 397)",
    region: (["north", "south", "east", "west"][$i % 4]),
    lines: [range(0; 1 + $i % 5) as $k
            | { sku: "sku-\(($i * 7 + $k) % 1013)", quantity: (1 + ($i + $k) % 9),
                price: (((($i * 31 + $k * 17) % 5000) / 100)) }] };

[range(0; 3000) | order(.)]
| map(. + { total: ([.lines[] | .quantity * .price] | add) })
| { by_region: (group_by(.region)
                | map({ region: .[0].region, orders: length, revenue: (map(.total) | add) })),
    top_customers: (group_by(.customer)
                    | map({ customer: .[0].customer, spent: (map(.total) | add) })
                    | sort_by(-.spent) | .[0:20]),
    skus: ([.[].lines[].sku] | unique | length),
    report: (map("\(.id)\t\(.customer)\t\(.total)") | join("\n") | length) }
| tojson | fromjson | .skus

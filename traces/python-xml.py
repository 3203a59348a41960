"""Builds an XML catalogue with ElementTree, serializes and re-parses it, then summarizes it
with collections and string formatting: the allocation pattern of a small data-munging job."""
import collections
import xml.etree.ElementTree as ET

CATEGORIES = ("tools", "garden", "kitchen", "books", "toys", "music")

def build_catalogue(item_count):
    root = ET.Element("catalogue", version="1")
    for i in range(item_count):
        item = ET.SubElement(root, "item", id=str(i), category=CATEGORIES[i % len(CATEGORIES)])
        ET.SubElement(item, "name").text = f"Item {i:05d} {'x' * (i % 17)}"
        ET.SubElement(item, "price", currency="EUR").text = f"{(i * 37 % 10000) / 100:.2f}"
        tags = ET.SubElement(item, "tags")
        for k in range(i % 4):
            ET.SubElement(tags, "tag").text = f"tag-{(i + k) % 50}"
    return root

def summarize(root):
    by_category = collections.defaultdict(list)
    tag_counts = collections.Counter()
    recent = collections.deque(maxlen=100)
    for item in root.iter("item"):
        price = float(item.find("price").text)
        by_category[item.get("category")].append(price)
        tag_counts.update(tag.text for tag in item.iter("tag"))
        recent.append(item.find("name").text.upper())
    lines = ["{:<10} {:>6} {:>12.2f}".format(c, len(p), sum(p)) for c, p in sorted(by_category.items())]
    lines += [f"{tag}: {count}" for tag, count in tag_counts.most_common(10)]
    lines.append("|".join(recent))
    OrderedSummary = collections.namedtuple("OrderedSummary", "categories tags lines")
    return OrderedSummary(len(by_category), len(tag_counts), "\n".join(lines))

document = ET.tostring(build_catalogue(1500), encoding="unicode")
summary = summarize(ET.fromstring(document))
print(summary.categories, summary.tags, len(summary.lines), len(document))

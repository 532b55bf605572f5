import gzip

from finmon.names.frequency import DATA_FILE, RARE_BITS, information
from finmon.names.keys import fold
from finmon.names.parts import COMMON_WEIGHT, analyse_name


def test_the_frequency_file_holds_folded_keys_with_shares_per_million() -> None:
    with gzip.open(DATA_FILE, "rt", encoding="utf-8") as handle:
        header, *lines = handle.read().splitlines()
    assert header == "key\tfirst_ppm\tlast_ppm"
    assert 20_000 < len(lines) < 100_000
    keys = [line.split("\t")[0] for line in lines]
    assert keys == sorted(set(keys))
    for line in lines[::997]:
        key, first, last = line.split("\t")
        assert fold(key) == key and key.isascii() and len(key) >= 2
        assert 0 <= int(first) <= 1_000_000 and 0 <= int(last) <= 1_000_000
        assert max(int(first), int(last)) > 0


def test_common_name_parts_carry_less_information_than_rare_ones() -> None:
    assert information(fold("muhammad")) < 6
    assert information(fold("ivanov")) < 6
    assert information(fold("zhirinovskii")) > information(fold("viktor")) > 6
    assert information("qqqqzx") == RARE_BITS


def test_a_name_parts_weight_follows_how_common_it_is() -> None:
    tokens = analyse_name("Mohammed Viktor Zhirinovskiy").tokens
    muhammad, viktor, rare = (t.weight for t in tokens)
    assert muhammad == COMMON_WEIGHT
    assert COMMON_WEIGHT < viktor < rare == 1.0


def test_a_part_in_arabic_script_weighs_as_its_latin_spellings_do() -> None:
    # اسلام transliterates to aslam, a rarer key of the table than Islam, which renders it.
    islam = analyse_name("اسلام خلیلی").tokens[0]
    assert islam.weight == COMMON_WEIGHT == analyse_name("Islam Khalili").tokens[0].weight
    assert information(islam.key) > information("islam")
    # Only spellings whose letters render it: Islam does not make سلمي (Salmi) common.
    salmi = analyse_name("سلمي خلیلی").tokens[0]
    assert salmi.weight > COMMON_WEIGHT
    # A part no Latin spelling in the table renders keeps its own information.
    assert analyse_name("تکریتی حسن").tokens[0].weight == 1.0

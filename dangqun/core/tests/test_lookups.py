import pytest

from dangqun.core.lookups import path_successor
from dangqun.orgs.models import Organization


@pytest.mark.parametrize(
    "path, successor",
    [
        ("0001", "0002"),
        ("0009", "000A"),
        ("000Z", "001"),
        ("0001000Z", "0001001"),
        ("ZZZZ", None),
        ("", None),
    ],
)
def test_successor(path, successor):
    assert path_successor(path) == successor


@pytest.mark.django_db
def test_under_selects_exactly_the_subtree(tree):
    names = set(Organization.objects.filter(path__under=tree.community.path).values_list("name", flat=True))
    assert names == {"顺城社区党委", "世邦魏理仕物业昆明分公司党支部", "第一党小组"}
    assert Organization.objects.filter(path__under=tree.far_county.path).count() == 2

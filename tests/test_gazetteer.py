"""The offline gazetteer (certification/data/geo/): a town and powiat → a point on the map."""

from decimal import Decimal

from certification.choices import LocationSource, Powiat
from certification.domain.gazetteer import Location, locate


def test_a_town_found_by_its_folded_name():
    assert locate(town="Gliwice", powiat="2466") == Location(
        Decimal("50.29761"), Decimal("18.67658"), LocationSource.LOCALITY
    )
    # Case, diacritics and spacing do not matter; a unique name needs no powiat.
    assert locate(town="  ZORY ", powiat="") == locate(town="Żory", powiat="2479")
    assert locate(town="mikolow", powiat="") == Location(
        Decimal("50.17103"), Decimal("18.90410"), LocationSource.LOCALITY
    )


def test_the_points_have_five_decimal_places():
    found = locate(town="Mikołów", powiat=Powiat.MIKOLOWSKI)
    assert found.longitude.as_tuple().exponent == -5
    assert str(found.longitude) == "18.90410"


def test_a_name_in_several_powiats_is_the_one_in_the_given_powiat():
    # Psary: a village in four powiats, two of them in the Silesian Voivodeship.
    assert locate(town="Psary", powiat="2401").latitude == Decimal("50.37964")
    assert locate(town="Psary", powiat="2407").latitude == Decimal("50.61470")


def test_an_ambiguous_name_without_a_powiat_is_not_placed():
    assert locate(town="Psary", powiat="") is None


def test_an_unknown_town_is_placed_at_its_powiats_centre():
    assert locate(town="Przysiółek Nieznany", powiat="2408") == Location(
        Decimal("50.14645"), Decimal("18.83754"), LocationSource.POWIAT
    )
    # A name known elsewhere but not in the given powiat: the powiat decides.
    assert locate(town="Psary", powiat="2466").source == LocationSource.POWIAT


def test_nothing_fits():
    assert locate(town="Przysiółek Nieznany", powiat="") is None
    assert locate(town="", powiat="") is None


def test_every_powiat_of_the_region_has_a_point():
    assert all(locate(town="", powiat=code) is not None for code in Powiat.values)


def test_a_hyphen_is_a_space():
    # GeoNames writes "Jastrzębie Zdrój"; the official name has a hyphen.
    found = locate(town="Jastrzębie-Zdrój", powiat="2467")
    assert (found.latitude, found.source) == (Decimal("49.95542"), LocationSource.LOCALITY)
    assert locate(town="Bielsko Biała", powiat="") == locate(town="Bielsko-Biała", powiat="2461")

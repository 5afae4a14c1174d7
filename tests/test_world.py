"""The world of the generated suites is built and every record lies where the suites expect it."""

from khuyencong.core.scoping import in_scope


def test_the_world_has_every_record_in_its_province(world, db):
    for key in ("establishment", "project", "document", "plan", "collaborator", "submission", "campaign"):
        assert in_scope(world.users["officer"], world.own[key]), key
        assert not in_scope(world.users["officer"], world.other[key]), key
    assert world.own["project"].status == "in_progress"
    assert world.own["flag"].establishment.province_id == world.own["province"].pk

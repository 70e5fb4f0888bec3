"""Stage 2, measure: from the validated data set to a value per institution and criterion.

    profile_status  per profile: last post, days since it, posts per week, status
    features        the tables every check reads (institutions, profiles, posts, ...)
    text            text measures of the posts: spelling, readability, warmth, shouting
    checks          one function per metric, measuring every institution at once

Nothing here scores: a check returns values and evidence; the rubric scores them.
"""
